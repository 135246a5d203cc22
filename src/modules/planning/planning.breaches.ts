import type { Language } from '../../db/schema.ts'
import { AppError, type ErrorDetail } from '../../http/errors.ts'
import type { Params, Translate } from '../../i18n/catalogue.ts'
import type { RuleBreach } from './plan.rules.ts'
import type { CurrentProgramme } from './programme.service.ts'

/** Names for what breaches speak of by id: authorities by GSS code (in both languages), inspectors by user id as text. */
export interface BreachNames {
  authorities: Record<string, { en: string; cy: string }>
  inspectors: Record<string, string>
}

export function namesOf(programme: Pick<CurrentProgramme, 'authorities' | 'inspectors' | 'names'>): BreachNames {
  return {
    authorities: Object.fromEntries(programme.authorities.map((a) => [a.gssCode, { en: a.nameEn, cy: a.nameCy }])),
    inspectors: { ...programme.names, ...Object.fromEntries(programme.inspectors.map((p) => [p.id, p.name])) },
  }
}

/**
 * What a breach is about, so the same breach before and after a change is recognised as one:
 * the rule, and the ELV (authority and ordinal) or, for a whole term, the term; never the counts,
 * which `introducedBreaches` compares.
 */
export function breachIdentity(b: Pick<RuleBreach, 'rule' | 'key' | 'gssCode' | 'ordinal' | 'term' | 'inspector'>): string {
  const where = b.gssCode ? `${b.gssCode}#${b.ordinal ?? ''}` : `term:${b.term ?? ''}`
  return [b.rule, b.key, where, b.inspector ?? ''].join('|')
}

/** How bad a counted breach is: a term one ELV fuller, or a team one Welsh speaker short, is worse than before. */
function badness(b: RuleBreach): number {
  const count = Number(b.params.count ?? 0)
  switch (b.key) {
    case 'termFull': case 'inspectorOverloaded': case 'tooManyPeers': case 'tooManyElvs': return count
    case 'welshSpeakers': case 'tooFewElvs': return -count
    case 'teamSize': return Math.abs(count - Number(b.params.required ?? 0))
    default: return 0
  }
}

/** The breaches in `after` that were not there before, or are now worse: what a change introduces. */
export function introducedBreaches(before: readonly RuleBreach[], after: readonly RuleBreach[]): RuleBreach[] {
  const was = new Map<string, RuleBreach[]>()
  for (const b of before) was.set(breachIdentity(b), [...(was.get(breachIdentity(b)) ?? []), b])
  return after.filter((a) => !(was.get(breachIdentity(a)) ?? []).some((b) => badness(a) <= badness(b)))
}

/**
 * Team rules a change of team members is checked against. The team module keeps its own flows for
 * conflicts of interest and a peer's own authority, and warns (without refusing) about a team with no lead.
 */
const TEAM_KEYS: readonly string[] = ['teamSize', 'tooManyPeers', 'unavailable', 'inspectorOverloaded', 'linkInspectorNotLead', 'welshSpeakers']

/**
 * The breaches a change to one ELV's team introduces. A team still being formed is not yet too
 * small: only a team larger than the rule counts against its size.
 */
export function teamBreaches(before: readonly RuleBreach[], after: readonly RuleBreach[], required: number): RuleBreach[] {
  return introducedBreaches(before, after).filter((b) => TEAM_KEYS.includes(b.key) && (b.key !== 'teamSize' || Number(b.params.count) > required))
}

const TERM_KEY = /^\d{4}-\d{4}\/(autumn|spring|summer)$/
const TERM_PARAMS = ['term', 'first', 'second', 'core', 'last'] as const

/** `2026-2027/spring` as people say it: "Spring 2026-2027", "Gwanwyn 2026-2027". */
export function termName(key: string, t: Translate): string {
  if (!TERM_KEY.test(key)) return key
  const [year, season] = key.split('/')
  return `${t(`visits.season.${season}`)} ${year}`
}

function inspectorNames(ids: string, names: BreachNames): string {
  return ids.split(',').map((id) => names.inspectors[id.trim()] ?? id.trim()).join(', ')
}

/** Parameters with names in place of ids (and, when `t` is given, terms as people say them). */
export function namedParams(params: Params, names: BreachNames, lang: Language, t?: Translate): Params {
  const out: Params = { ...params }
  if (typeof out.authority === 'string') out.authority = names.authorities[out.authority]?.[lang] ?? out.authority
  if (typeof out.inspector === 'string') out.inspector = inspectorNames(out.inspector, names)
  if (t) for (const k of TERM_PARAMS) if (typeof out[k] === 'string') out[k] = termName(out[k], t)
  return out
}

/** A breach explained in a sentence, in the reader's language. */
export function explainBreach(b: RuleBreach, names: BreachNames, t: Translate, lang: Language): string {
  return t(`planning.breach.${b.key}`, namedParams(b.params, names, lang, t))
}

/** A breach as an error detail (the API explains it in English, with names; terms stay as keys). */
export function breachDetail(b: RuleBreach, names: BreachNames, path: string): ErrorDetail {
  return { path, messageKey: `planning.breach.${b.key}`, params: namedParams(b.params, names, 'en') }
}

/**
 * A change that breaks planning rules and was asked for without a reason: nothing was saved.
 * Pages explain each breach in the reader's language and ask for a reason; the API lists them.
 */
export class PlanningBreachError extends AppError {
  constructor(
    readonly breaches: RuleBreach[],
    readonly names: BreachNames,
    /** The field the reason goes in. */
    readonly reasonPath: string,
  ) {
    super('rule_violation', 'This change breaks planning rules: see details. Give a reason to make it anyway; the reason and the breaches are recorded.', [
      ...breaches.map((b) => breachDetail(b, names, reasonPath)),
      { path: reasonPath, messageKey: 'planning.move.reasonNeeded' },
    ])
  }
}

/** For a page: each breach explained, linking to the reason field, and the reason field's own message. */
export function breachPageErrors(e: PlanningBreachError, t: Translate, lang: Language) {
  const explained = e.breaches.map((b) => explainBreach(b, e.names, t, lang))
  const reasonText = t('planning.move.reasonNeeded')
  const href = `#${e.reasonPath}`
  return {
    explained,
    list: [...explained.map((text) => ({ text, href })), { text: reasonText, href }],
    byField: { [e.reasonPath]: { text: reasonText } } as Record<string, { text: string }>,
  }
}

// ---- the planner's explanations, in either language -----------------------------------------------

// The marks are control characters no message contains; JSON.stringify escapes any inside a mark.
// eslint-disable-next-line no-control-regex
const MARKED = /\u0002([^\u0002\u0003]*)\u0003/g

/**
 * A translator that writes down which message was asked for, instead of wording it: the planner's
 * explanations are stored so and worded later in whichever language the reader reads.
 */
export const recordingTranslate: Translate = (key, params) => `\u0002${JSON.stringify({ key, params: params ?? {} })}\u0003`

/** Words a recorded explanation (see `recordingTranslate`); text with nothing recorded is left as it is. */
export function wordExplanation(text: string, names: BreachNames, t: Translate, lang: Language): string {
  return text.replace(MARKED, (whole, json: string) => {
    try {
      const { key, params } = JSON.parse(json) as { key: string; params: Params }
      const worded: Params = {}
      for (const [k, v] of Object.entries(params)) worded[k] = typeof v === 'string' ? wordExplanation(v, names, t, lang) : v
      return t(key, namedParams(worded, names, lang, t))
    } catch {
      return whole
    }
  })
}
