import type { Translate } from '../../i18n/catalogue.ts'
import type { PageErrors } from '../../http/form-errors.ts'
import { formatDate } from '../../http/web.ts'
import type { Language, Season } from '../../db/schema.ts'
import { termTitle } from '../reference/reference.view.ts'
import { DEFAULT_RULES, type PlanRules } from './plan.types.ts'
import { RULE_LIMITS, RULE_NAMES, type NumberRule } from './planning-rules.ts'
import type { InspectorFacts } from './programme.service.ts'

type Form = Record<string, unknown>
const text = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '')

/** The page's two groups of rules: where ELVs go, and who goes on them. */
const SECTIONS: Array<{ key: 'programme' | 'teams'; rules: Array<keyof PlanRules> }> = [
  { key: 'programme', rules: ['elvsPerAuthority', 'maxElvsPerTerm', 'minTermsBetweenElvs', 'minTermsFromCoreInspection'] },
  { key: 'teams', rules: ['teamSize', 'maxPeersPerTeam', 'welshSpeakersForWelshMedium', 'leadIsLinkInspector'] },
]

export interface RuleField {
  name: keyof PlanRules
  kind: 'number' | 'flag'
  label: string
  hint: string
  value: string
  error?: { text: string }
  items?: Array<{ value: string; text: string; checked: boolean }>
}

/** The form's values from the rules in force. */
export function rulesFormValues(rules: PlanRules, version: number): Form {
  return { ...Object.fromEntries(RULE_NAMES.map((k) => [k, k === 'leadIsLinkInspector' ? (rules[k] ? 'yes' : 'no') : String(rules[k])])), version: String(version) }
}

/** Each rule as a labelled field with its explanation, its range and its default, grouped as the page shows them. */
export function rulesFormSections(values: Form, errors: PageErrors | undefined, t: Translate) {
  return SECTIONS.map((s) => ({
    heading: t(`planning.rules.section.${s.key}`),
    fields: s.rules.map((name): RuleField => {
      const label = t(`planning.rules.label.${name}`)
      const value = text(values[name])
      const error = errors?.byField[name]
      if (name === 'leadIsLinkInspector') {
        return {
          name, kind: 'flag', label, value, error,
          hint: t('planning.rules.hint.leadIsLinkInspector', { default: t(DEFAULT_RULES.leadIsLinkInspector ? 'common.yes' : 'common.no') }),
          items: [{ value: 'yes', text: t('common.yes'), checked: value === 'yes' }, { value: 'no', text: t('common.no'), checked: value === 'no' }],
        }
      }
      const { min, max } = RULE_LIMITS[name as NumberRule]
      return { name, kind: 'number', label, value, error, hint: t(`planning.rules.hint.${name}`, { min, max, default: DEFAULT_RULES[name] as number }) }
    }),
  }))
}

/** The rules in force as summary rows, shown beside a form that someone else's save made stale. */
export function rulesSummaryRows(rules: PlanRules, t: Translate) {
  return RULE_NAMES.map((k) => ({
    key: { text: t(`planning.rules.label.${k}`) },
    value: { text: typeof rules[k] === 'boolean' ? t(rules[k] ? 'common.yes' : 'common.no') : String(rules[k]) },
  }))
}

// ---- an inspector's planning facts, on the admin page for their account ------------------------

/** The form's values from what is saved. */
export function inspectorFormValues(facts: InspectorFacts): Form {
  const values: Form = {
    welshSpeaker: facts.welshSpeaker ? 'yes' : '',
    maxElvsPerTerm: String(facts.maxElvsPerTerm),
    unavailable: facts.terms.filter((x) => x.unavailable).map((x) => x.key),
    version: String(facts.version),
  }
  for (const term of facts.terms) values[`reason.${term.key}`] = term.reason ?? ''
  return values
}

const termName = (key: string, t: Translate) => {
  const [year, season] = key.split('/') as [string, Season]
  return termTitle({ academic_year: year, season }, t)
}

/**
 * The terms an admin may mark, each a checkbox that reveals an optional reason (without
 * JavaScript every reason box shows), and the record of earlier terms.
 */
export function inspectorTermItems(facts: InspectorFacts, values: Form, errors: PageErrors | undefined, t: Translate, lang: Language) {
  const ticked = new Set((Array.isArray(values.unavailable) ? values.unavailable : [values.unavailable]).filter((v): v is string => typeof v === 'string'))
  return {
    items: facts.terms.map((term) => {
      const path = `reason.${term.key}`
      return {
        value: term.key,
        text: termName(term.key, t),
        hint: t('planning.inspector.termDates', { start: formatDate(term.start, lang), end: formatDate(term.end, lang) }),
        checked: ticked.has(term.key),
        reason: { id: path.replace(/[^A-Za-z0-9_-]/g, '-'), name: path, value: text(values[path]), error: errors?.byField[path] },
      }
    }),
    earlier: facts.earlier.map((e) => ({ text: termName(e.key, t), reason: e.reason })),
  }
}
