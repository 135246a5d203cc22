import type { Database } from '../../db/database.ts'
import { LANGUAGES, WRITING_RULE_KINDS, type Language, type WritingRule, type WritingRuleKind } from '../../db/schema.ts'
import type { Clock } from '../../clock.ts'
import { Check } from '../../http/check.ts'
import { forbidden, notFound } from '../../http/errors.ts'
import type { Actor } from '../auth/actor.ts'
import type { AuditService } from '../audit/audit.service.ts'
import type { LetterModel, WritingProblem } from '../letters/letter.model.ts'
import { BUILT_IN_RULES } from './writing-checks.data.ts'
import { bilingualMessage } from './writing-checks.messages.ts'
import { writingRuleRepository } from './writing-checks.repository.ts'
import { checkLetter, checkText, parsePattern, RESERVED_CODES, SENTENCE_LENGTH_LIMITS } from './writing-checks.rules.ts'

export const RULE_LANGS = ['en', 'cy', 'both'] as const
export type RuleLang = (typeof RULE_LANGS)[number]

const CODE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
export const LIMITS = { code: 60, pattern: 1000, message: 500, text: 20_000 } as const

/** A rule as pages and the API show it. */
export interface WritingRuleView {
  code: string
  kind: WritingRuleKind
  lang: RuleLang
  pattern: string
  message: { en: string; cy: string }
  enabled: boolean
  builtIn: boolean
}

export interface NewRuleInput {
  code?: unknown
  kind?: unknown
  lang?: unknown
  pattern?: unknown
  messageEn?: unknown
  messageCy?: unknown
}

/** The writing checks on letters: rules kept as data, built-in ones seeded, admins add their own. */
export class WritingChecksService {
  constructor(
    readonly database: Database,
    readonly audit: AuditService,
    readonly clock: Clock,
  ) {}

  /** Adds any built-in rule not there yet, with its messages from the catalogue; never changes a rule already there. */
  ensureSeeded(): Promise<number> {
    const rules = BUILT_IN_RULES.map((r) => {
      const message = bilingualMessage(`writingChecks.builtIn.${r.code}`)
      return { ...r, messageEn: message.en, messageCy: message.cy, builtIn: true }
    })
    return writingRuleRepository(this.database.db).ensure(rules, this.clock.nowIso())
  }

  /** Every rule, on or off. Without an actor, for other services; with one, only for the inspectorate. */
  async rules(actor?: Actor): Promise<WritingRuleView[]> {
    if (actor) requireInspectorate(actor)
    // Grouped by kind, in the order the kinds are offered on the form.
    const order = (r: WritingRule) => WRITING_RULE_KINDS.indexOf(r.kind)
    return (await writingRuleRepository(this.database.db).list()).sort((a, b) => order(a) - order(b)).map(toView)
  }

  /** The problems in a letter under the rules that are on, with messages in `lang` (the reader's language). */
  async check(model: LetterModel, lang: Language = 'en'): Promise<WritingProblem[]> {
    const rules = await writingRuleRepository(this.database.db).list({ enabledOnly: true })
    return checkLetter(model, rules, lang)
  }

  /** The problems in a piece of text written in `textLang` (the "try the checks" form and API). */
  async checkText(actor: Actor, input: { text?: unknown; lang?: unknown }, reader: Language = 'en'): Promise<WritingProblem[]> {
    requireInspectorate(actor)
    const check = new Check()
    const text = check.text('text', 'writingChecks.field.text', input.text, { max: LIMITS.text })
    const textLang = check.oneOf('textLang', 'writingChecks.field.textLang', input.lang, LANGUAGES)
    check.done()
    const rules = await writingRuleRepository(this.database.db).list({ enabledOnly: true })
    return checkText(text!, textLang!, rules, reader).map((p) => ({ ...p, section: null, paragraph: null, lang: textLang! }))
  }

  /** Adds a rule (administrators): every problem with the input is reported at once. */
  async addRule(actor: Actor, input: NewRuleInput): Promise<WritingRuleView> {
    requireAdmin(actor)
    const check = new Check()
    const code = check.text('code', 'writingChecks.field.code', input.code, { max: LIMITS.code })
    if (code && !CODE.test(code)) check.add('code', 'writingChecks.rule.codeFormat')
    else if (code && RESERVED_CODES.includes(code)) check.add('code', 'writingChecks.rule.codeReserved', { code })
    const kind = check.oneOf('kind', 'writingChecks.field.kind', input.kind, WRITING_RULE_KINDS)
    const lang = check.oneOf('lang', 'writingChecks.field.lang', input.lang, RULE_LANGS)
    const pattern = check.text('pattern', 'writingChecks.field.pattern', input.pattern, { max: LIMITS.pattern })
    if (kind && pattern) {
      const parsed = parsePattern(kind, pattern)
      if (!parsed.ok) check.add('pattern', parsed.error, parsed.error === 'writingChecks.rule.patternLength' ? { ...SENTENCE_LENGTH_LIMITS } : {})
    }
    const messageEn = check.text('messageEn', 'writingChecks.field.messageEn', input.messageEn, { max: LIMITS.message })
    const messageCy = check.text('messageCy', 'writingChecks.field.messageCy', input.messageCy, { max: LIMITS.message })
    check.done()
    return this.database.db.transaction().execute(async (trx) => {
      const repo = writingRuleRepository(trx)
      if (await repo.byCode(code!)) {
        const taken = new Check()
        taken.add('code', 'writingChecks.rule.codeTaken', { code: code! })
        taken.done()
      }
      const rule = await repo.insert({ code: code!, kind: kind!, lang: lang!, pattern: pattern!, messageEn: messageEn!, messageCy: messageCy!, builtIn: false }, this.clock.nowIso())
      await this.audit.record(trx, actor, 'writing_rule.create', { type: 'writing_rule', id: rule.code }, { kind, lang, pattern, messageEn, messageCy })
      return toView(rule)
    })
  }

  /** Turns a rule on or off (administrators); built-in rules too. Audited only when it changes. */
  async setEnabled(actor: Actor, code: string, enabled: boolean): Promise<WritingRuleView> {
    requireAdmin(actor)
    return this.database.db.transaction().execute(async (trx) => {
      const repo = writingRuleRepository(trx)
      const rule = await repo.byCode(code)
      if (!rule) throw notFound('writing rule')
      if ((rule.enabled === 1) === enabled) return toView(rule)
      const updated = await repo.setEnabled(code, enabled ? 1 : 0, this.clock.nowIso())
      await this.audit.record(trx, actor, enabled ? 'writing_rule.enable' : 'writing_rule.disable', { type: 'writing_rule', id: code })
      return toView(updated!)
    })
  }
}

function requireAdmin(actor: Actor): void {
  if (actor.kind === 'user' && actor.role !== 'admin') throw forbidden()
}

/** The rules and the checks are the inspectorate's tools: an authority user may not use them. */
function requireInspectorate(actor: Actor): void {
  if (actor.kind === 'user' && actor.role === 'la') throw forbidden()
}

function toView(r: WritingRule): WritingRuleView {
  return {
    code: r.code, kind: r.kind, lang: r.lang, pattern: r.pattern,
    message: { en: r.message_en, cy: r.message_cy },
    enabled: r.enabled === 1, builtIn: r.built_in === 1,
  }
}
