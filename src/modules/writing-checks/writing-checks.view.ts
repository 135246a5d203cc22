import { WRITING_RULE_KINDS, type Language } from '../../db/schema.ts'
import type { Translate } from '../../i18n/catalogue.ts'
import { paths } from '../../http/paths.ts'
import type { WritingProblem } from '../letters/letter.model.ts'
import { RULE_LANGS, type WritingRuleView } from './writing-checks.service.ts'

/** Where a rule's on/off form posts; http/paths.ts (shared) names only the page. */
export const ruleEnabledPath = (code: string) => `${paths.writingRules()}/${encodeURIComponent(code)}/enabled`
export const tryPath = () => `${paths.writingRules()}/try`
/** The try form lands on its results, without script: the browser follows the fragment of the page the post answers. */
export const tryAction = () => `${tryPath()}#try-results`

/** The rules table: each rule in the reader's language, with the button that turns it on or off. */
export function ruleRows(rules: readonly WritingRuleView[], lang: Language, t: Translate) {
  return rules.map((r) => ({
    code: r.code,
    kind: t(`writingChecks.kind.${r.kind}`),
    lang: t(`writingChecks.lang.${r.lang}`),
    // The pattern is in the language of the text it checks.
    patternLang: r.lang === 'both' ? undefined : r.lang,
    pattern: r.pattern,
    message: r.message[lang],
    enabled: t(r.enabled ? 'common.yes' : 'common.no'),
    builtIn: t(r.builtIn ? 'common.yes' : 'common.no'),
    toggle: { href: ruleEnabledPath(r.code), value: r.enabled ? '0' : '1', text: t(r.enabled ? 'writingChecks.disable' : 'writingChecks.enable') },
  }))
}

/** Radio items for the kinds of rule (each with what it finds) and for the text a rule checks. */
export function kindItems(t: Translate, chosen: unknown) {
  return WRITING_RULE_KINDS.map((k) => ({ value: k, text: t(`writingChecks.kind.${k}`), hint: { text: t(`writingChecks.kindHint.${k}`) }, checked: chosen === k }))
}

export function langItems(t: Translate, chosen: unknown, choices: readonly string[] = RULE_LANGS) {
  return choices.map((l) => ({ value: l, text: t(`writingChecks.lang.${l}`), checked: chosen === l }))
}

/** The "try the checks" results: how many, and each problem with the rule that found it. */
export function tryResults(problems: readonly WritingProblem[], t: Translate) {
  return {
    summary: problems.length ? t('writingChecks.try.found', { count: problems.length }) : t('writingChecks.try.none'),
    items: problems.map((p) => ({ rule: p.rule, message: p.message })),
  }
}
