import type { ElvState, Language } from '../../db/schema.ts'
import type { Translate } from '../../i18n/catalogue.ts'
import { paths } from '../../http/paths.ts'
import { stateTag } from '../visits/visits.view.ts'
import { explainBreach, termName, wordExplanation, type BreachNames } from './planning.breaches.ts'
import type { ProgrammeBreach, ProgrammeView, ProposalRow, ProposalView } from './planning.service.ts'
import type { TermKey } from './plan.types.ts'

type FormatDate = (iso: string) => string

const authorityIn = (names: BreachNames, gss: string, lang: Language) => names.authorities[gss]?.[lang] ?? gss

/** A team as a line of names, the lead first and marked as such. */
export function teamText(team: readonly string[], lead: string | null, names: BreachNames, t: Translate): string {
  if (!team.length) return t('planning.proposal.noTeam')
  const ordered = [...team].sort((a, b) => Number(b === lead) - Number(a === lead))
  return ordered.map((id) => {
    const name = names.inspectors[id] ?? id
    return id === lead ? t('planning.proposal.lead', { name }) : name
  }).join(', ')
}

export interface GridElv {
  elvId: number
  text: string
  href: string
  state: { text: string; classes: string }
  notifyBy: string | null
  moveHref: string | null
  moveLabel: string
}

export interface GridCell {
  term: TermKey
  core: boolean
  current: boolean
  elvs: GridElv[]
  /** Numbers of the breaches listed under the grid that are about this cell. */
  breaches: number[]
}

export interface GridBreach {
  n: number
  id: string
  text: string
  /** Where it is: the authority and term, as a short label. */
  where: string
  exception: { reason: string; by: string | null; at: string } | null
}

/**
 * The programme as a grid: authorities down, terms across (grouped by academic year), each term's
 * load at the foot, and every breach numbered so its cell can point to its explanation below.
 */
export function programmeGrid(v: ProgrammeView, t: Translate, lang: Language, opts: { canPlan: boolean; formatDate: FormatDate }) {
  const inCycle = new Set(v.terms.map((x) => x.key))
  const breaches: GridBreach[] = v.breaches.map((b: ProgrammeBreach, i) => ({
    n: i + 1,
    id: `breach-${i + 1}`,
    text: explainBreach(b, v.names, t, lang),
    where: [b.gssCode ? authorityIn(v.names, b.gssCode, lang) : null, b.term ? termName(b.term, t) : null].filter(Boolean).join(', '),
    exception: b.exception ? { ...b.exception, at: opts.formatDate(b.exception.at) } : null,
  }))
  const numbered = v.breaches.map((b, i) => ({ b, n: i + 1 }))
  const years: Array<{ label: string; span: number }> = []
  for (const term of v.terms) {
    const last = years[years.length - 1]
    if (last?.label === term.academicYear) last.span++
    else years.push({ label: term.academicYear, span: 1 })
  }
  const columns = v.terms.map((x) => ({
    key: x.key,
    season: t(`visits.season.${x.season}`),
    label: termName(x.key, t),
    current: x.current,
    firstPlannable: x.firstPlannable,
  }))
  const rows = v.authorities.map((a) => {
    const cells: GridCell[] = v.terms.map((term) => ({
      term: term.key,
      core: a.coreInspectionTerm === term.key,
      current: term.current,
      elvs: v.elvs.filter((e) => e.gssCode === a.gssCode && e.term === term.key).map((e) => ({
        elvId: e.elvId,
        text: t('planning.programme.elv', { ordinal: e.ordinal }),
        href: paths.elv(e.elvId),
        state: stateTag(e.state as ElvState, t),
        notifyBy: e.notifyBy ? t(e.notificationOverdue ? 'planning.programme.notifyOverdue' : 'planning.programme.notifyBy', { date: opts.formatDate(e.notifyBy) }) : null,
        moveHref: opts.canPlan && e.state === 'planned' ? paths.moveElv(e.elvId) : null,
        moveLabel: t('planning.programme.moveHidden', { authority: a[lang === 'cy' ? 'nameCy' : 'nameEn'], ordinal: e.ordinal }),
      })),
      breaches: numbered.filter(({ b }) => b.gssCode === a.gssCode && b.term === term.key).map(({ n }) => n),
    }))
    return {
      id: `authority-${a.gssCode}`,
      gssCode: a.gssCode,
      name: lang === 'cy' ? a.nameCy : a.nameEn,
      welshMedium: a.welshMedium,
      linkInspector: a.linkInspectorName,
      toPlan: a.toPlan ? t('planning.programme.toPlan', { count: a.toPlan }) : null,
      // A core inspection before the cycle still keeps the first terms clear: say when it was.
      coreOutside: a.coreInspectionTerm && !inCycle.has(a.coreInspectionTerm) ? termName(a.coreInspectionTerm, t) : null,
      // Breaches about the authority as a whole (too few ELVs) or about an ELV outside the grid's terms.
      breaches: numbered.filter(({ b }) => b.gssCode === a.gssCode && (!b.term || !inCycle.has(b.term))).map(({ n }) => n),
      cells,
    }
  })
  const load = v.terms.map((x) => ({
    term: x.key,
    text: t('planning.programme.loadValue', { count: x.count, max: x.max }),
    over: x.count > x.max,
    breaches: numbered.filter(({ b }) => !b.gssCode && b.term === x.key).map(({ n }) => n),
  }))
  // Breaches about no authority and no term of the grid (an inspector's load in a term outside it) are only listed.
  return { years, columns, rows, load, breaches }
}

/** The proposal's status as a tag and a sentence. */
export function proposalStatus(p: ProposalView, t: Translate) {
  const colour = { optimal: 'govuk-tag--green', feasible: 'govuk-tag--yellow', infeasible: 'govuk-tag--red' }[p.status]
  return {
    tag: { text: t(`planning.proposal.status.${p.status}`), classes: colour },
    hint: t(`planning.proposal.statusHint.${p.status}`, {
      seconds: p.output.solver.seconds, term: p.output.solver.bounds.maxElvsInATerm, inspector: p.output.solver.bounds.maxElvsPerInspector,
    }),
  }
}

/** The planner's reasons why there is no plan, in the reader's language. */
export function conflictItems(p: ProposalView, t: Translate, lang: Language) {
  return p.output.conflicts.map((c, i) => ({
    rule: t(`planning.ruleName.${c.rule}`),
    text: wordExplanation(p.explanations[i] ?? c.message, p.names, t, lang),
  }))
}

export const visitValue = (r: Pick<ProposalRow, 'gssCode' | 'ordinal'>) => `${r.gssCode}:${r.ordinal}`

/** One line of the side-by-side table: today's ELV and the proposed one, and whether it can be accepted. */
export function proposalRows(p: ProposalView, t: Translate, lang: Language, opts: { formatDate: FormatDate; checked?: readonly string[] }) {
  return p.rows.map((r, i) => {
    const authority = authorityIn(p.names, r.gssCode, lang)
    const value = visitValue(r)
    const status = r.cannot
      ? t(`planning.proposal.cannot.${r.cannot}`, { authority, ordinal: r.ordinal, state: r.stateNow ? t(`visits.state.${r.stateNow}`) : '' })
      : t(r.changed ? 'planning.proposal.changed' : 'planning.proposal.unchanged')
    return {
      id: `visit-${i + 1}`,
      value,
      authority,
      elv: t('planning.programme.elv', { ordinal: r.ordinal }),
      today: r.today
        ? { term: termName(r.today.term, t), team: teamText(r.today.team, r.today.lead, p.names, t), state: stateTag(r.today.state, t) }
        : null,
      proposed: {
        term: termName(r.proposed.term, t),
        team: teamText(r.proposed.team, r.proposed.lead, p.names, t),
        notifyBy: t('planning.programme.notifyBy', { date: opts.formatDate(r.proposed.notifyBy) }),
      },
      moves: !r.today || r.today.term !== r.proposed.term,
      changed: r.changed,
      accepted: r.accepted,
      acceptable: r.acceptable,
      status,
      checkbox: {
        idPrefix: `visit-${i + 1}`,
        name: 'visits',
        classes: 'govuk-checkboxes--small',
        items: [{
          value,
          text: t('planning.proposal.acceptLabel', { authority, ordinal: r.ordinal }),
          label: { classes: 'govuk-visually-hidden' },
          checked: r.acceptable && (opts.checked ? opts.checked.includes(value) : true),
          disabled: !r.acceptable,
        }],
      },
    }
  })
}

/** The terms an ELV may move to, each with its load, the one it is in now marked. */
export function moveTermItems(v: ProgrammeView, now: TermKey, selected: string | undefined, t: Translate) {
  return v.terms.map((x) => ({
    value: x.key,
    text: [
      termName(x.key, t),
      t('planning.move.termLoad', { count: x.count, max: x.max }),
      x.key === now ? t('planning.move.termNow') : null,
      x.firstPlannable ? t('planning.programme.firstPlannable') : null,
    ].filter(Boolean).join(' – '),
    selected: x.key === (selected ?? now),
  }))
}
