import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'
import type { AppUser } from '../../db/schema.ts'
import { fixedClock } from '../../clock.ts'
import type { LetterModel } from '../letters/letter.model.ts'
import { BUILT_IN_RULES } from './writing-checks.data.ts'

const asActor = (u: AppUser): UserActor => ({ kind: 'user', id: u.id, name: u.name, email: u.email, role: u.role, authorityCode: u.authority_code })

/** A letter with one focus area: a paragraph that works well (with a grade word), one for improvement, fixed wording around them. */
function letter(): LetterModel {
  return {
    id: 1, elvId: 1, state: 'draft', version: 1, date: '2026-07-01',
    authority: { en: 'Ceredigion', cy: 'Ceredigion' }, director: { name: 'A Director', email: null },
    letterhead: { organisation: { en: 'The inspectorate', cy: 'Yr arolygiaeth' }, address: { en: '', cy: '' }, phone: '', email: '', website: '' },
    title: { en: 'Feedback', cy: 'Adborth' },
    sections: [
      { id: 10, key: 'opening', position: 1, focusAreaId: null, heading: { en: 'Dear director', cy: 'Annwyl gyfarwyddwr' }, edited: false, translation: { original: null, current: true },
        paragraphs: [{ id: 100, style: 'text', text: { en: 'We had a good visit.', cy: 'Cawsom ymweliad da.' }, findingIds: [], fixed: true }] },
      { id: 20, key: 'focus:5', position: 2, focusAreaId: 5, heading: { en: 'Attendance', cy: 'Presenoldeb' }, edited: false, translation: { original: null, current: true },
        paragraphs: [
          { id: 200, style: 'text', text: { en: 'Leaders give good support going forward.', cy: 'Mae arweinwyr yn rhoi cymorth cryf.' }, findingIds: [1], fixed: false, findingKind: 'working_well' },
          { id: 201, style: 'bullet', text: { en: 'The authority could review its plan.', cy: 'Gallai’r awdurdod adolygu ei gynllun wrth symud ymlaen.' }, findingIds: [2], fixed: false, findingKind: 'improvement' },
        ] },
    ],
  }
}

for (const engine of testEngines()) {
  describe(`writing checks on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z') })
    const admin = async () => asActor(await ctx.make.user('admin'))
    const service = () => ctx.services.writingChecks

    /** Every problem a rejected call reported, as [path, messageKey]. */
    const problems = async (p: Promise<unknown>) => {
      const e = await p.then(() => undefined, (err: unknown) => err) as { code?: string; details?: Array<{ path: string; messageKey: string }> } | undefined
      expect(e?.code).toBe('validation_failed')
      return e!.details!.map((d) => [d.path, d.messageKey])
    }

    const jargon = { code: 'going-forward', kind: 'phrase', lang: 'both', pattern: 'going forward|wrth symud ymlaen', messageEn: 'Say when instead of “{match}”.', messageCy: 'Dywedwch pryd yn lle “{match}”.' }

    it('is seeded once with the built-in rules, messages in both languages; seeding again adds nothing', async () => {
      const rules = await service().rules()
      expect(rules.map((r) => r.code).sort()).toEqual(BUILT_IN_RULES.map((r) => r.code).sort())
      expect(rules.every((r) => r.builtIn && r.enabled && r.message.en && r.message.cy)).toBe(true)
      expect(rules.find((r) => r.code === 'quantity-most-en')).toMatchObject({ kind: 'quantity', lang: 'en', pattern: 'most|!at most|!the most:>=90' })
      expect(rules.find((r) => r.code === 'sentence-length')!.message.cy).toContain('{max}')
      expect(await service().ensureSeeded()).toBe(0)
      const { n } = await ctx.services.database.db.selectFrom('writing_rule').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
      expect(Number(n)).toBe(BUILT_IN_RULES.length)
    })

    it('checks a letter with the rules that are on, messages in the reader’s language, never the fixed wording', async () => {
      const found = await service().check(letter())
      expect(found).toEqual([
        { rule: 'grade-words-en', message: expect.stringMatching(/^“good” reads as a summative grade/), section: 20, paragraph: 200, lang: 'en' },
      ])
      const welsh = await service().check(letter(), 'cy')
      expect(welsh[0]!.message).toMatch(/^Mae “good” yn y testun Saesneg/)
    })

    it('applies a phrase rule an admin adds; turning a rule off stops it, on again brings it back; each change audited', async () => {
      const actor = await admin()
      const rule = await service().addRule(actor, jargon)
      expect(rule).toEqual({ code: 'going-forward', kind: 'phrase', lang: 'both', pattern: 'going forward|wrth symud ymlaen', message: { en: jargon.messageEn, cy: jargon.messageCy }, enabled: true, builtIn: false })
      expect((await service().check(letter())).map((p) => [p.rule, p.paragraph, p.lang, p.message])).toEqual([
        ['grade-words-en', 200, 'en', expect.any(String)],
        ['going-forward', 200, 'en', 'Say when instead of “going forward”.'],
        ['going-forward', 201, 'cy', 'Say when instead of “wrth symud ymlaen”.'],
      ])

      expect(await service().setEnabled(actor, 'grade-words-en', false)).toMatchObject({ code: 'grade-words-en', enabled: false, builtIn: true })
      expect((await service().check(letter())).map((p) => p.rule)).toEqual(['going-forward', 'going-forward'])
      // Turning off a rule that is already off changes nothing and records nothing.
      await service().setEnabled(actor, 'grade-words-en', false)
      await service().setEnabled(actor, 'grade-words-en', true)
      expect((await service().check(letter())).map((p) => p.rule)).toContain('grade-words-en')

      const audit = async (action: string, id: string) => (await ctx.services.audit.list({ action, entityId: id }, { limit: 5, offset: 0 })).items
      expect(await audit('writing_rule.create', 'going-forward')).toHaveLength(1)
      expect(await audit('writing_rule.disable', 'grade-words-en')).toHaveLength(1)
      expect(await audit('writing_rule.enable', 'grade-words-en')).toHaveLength(1)
      // Seeding never undoes an administrator's choice.
      await service().setEnabled(actor, 'follow-up-en', false)
      await service().ensureSeeded()
      expect((await service().rules()).find((r) => r.code === 'follow-up-en')!.enabled).toBe(false)
      await service().setEnabled(actor, 'follow-up-en', true)
    })

    it('checks a piece of text in the language chosen', async () => {
      const actor = await admin()
      expect(await service().checkText(actor, { text: 'Most schools (65%) agree.', lang: 'en' })).toEqual([
        { rule: 'quantity-most-en', message: expect.stringContaining('65%'), section: null, paragraph: null, lang: 'en' },
      ])
      expect(await service().checkText(actor, { text: 'Most schools (65%) agree.', lang: 'cy' })).toEqual([])
      expect(await problems(service().checkText(actor, { text: '  ', lang: 'fr' }))).toEqual([['text', 'validation.required'], ['textLang', 'validation.choice']])
    })

    it('refuses a rule with every problem named at once', async () => {
      const actor = await admin()
      expect(await problems(service().addRule(actor, {}))).toEqual([
        ['code', 'validation.required'], ['kind', 'validation.choice'], ['lang', 'validation.choice'], ['pattern', 'validation.required'],
        ['messageEn', 'validation.required'], ['messageCy', 'validation.required'],
      ])
      const ok = { code: 'a-rule', kind: 'phrase', lang: 'en', pattern: 'x', messageEn: 'x', messageCy: 'y' }
      expect(await problems(service().addRule(actor, { ...ok, code: 'Not A Code', kind: 'spelling', lang: 'fr' }))).toEqual([
        ['code', 'writingChecks.rule.codeFormat'], ['kind', 'validation.choice'], ['lang', 'validation.choice'],
      ])
      expect(await problems(service().addRule(actor, { ...ok, code: 'focus-improvement' }))).toEqual([['code', 'writingChecks.rule.codeReserved']])
      expect(await problems(service().addRule(actor, { ...ok, code: 'grade-words-en' }))).toEqual([['code', 'writingChecks.rule.codeTaken']])
      expect(await problems(service().addRule(actor, { ...ok, pattern: '!only allowed' }))).toEqual([['pattern', 'writingChecks.rule.patternWords']])
      expect(await problems(service().addRule(actor, { ...ok, kind: 'quantity', pattern: 'most' }))).toEqual([['pattern', 'writingChecks.rule.patternQuantity']])
      expect(await problems(service().addRule(actor, { ...ok, kind: 'sentence_length', pattern: 'forty' }))).toEqual([['pattern', 'writingChecks.rule.patternLength']])
      expect(await problems(service().addRule(actor, { ...ok, messageCy: 'y'.repeat(501) }))).toEqual([['messageCy', 'validation.tooLong']])
      // A quantity word and a sentence length an admin adds work like the built-in ones.
      await service().addRule(actor, { ...ok, code: 'quantity-all', kind: 'quantity', pattern: 'all:=100', messageEn: '“{match}” but {value}', messageCy: '“{match}” ond {value}' })
      await service().addRule(actor, { ...ok, code: 'short-sentences', kind: 'sentence_length', lang: 'cy', pattern: '5', messageEn: '{words} > {max}', messageCy: '{words} > {max}' })
      expect((await service().checkText(actor, { text: 'All schools (95%) agree.', lang: 'en' })).map((p) => p.message)).toEqual(['“All” but 95%'])
      expect((await service().checkText(actor, { text: 'Mae pob un o’r ysgolion yn cytuno â hyn.', lang: 'cy' })).map((p) => p.message)).toEqual(['9 > 5'])
    })

    it('lets only administrators add or change rules, and no authority user check or list them', async () => {
      for (const role of ['hmi', 'reviewer', 'peer', 'la'] as const) {
        const actor = asActor(await ctx.make.user(role))
        await expect(service().addRule(actor, { ...jargon, code: `by-${role}` })).rejects.toMatchObject({ status: 403 })
        await expect(service().setEnabled(actor, 'grade-words-en', false)).rejects.toMatchObject({ status: 403 })
      }
      const la = asActor(await ctx.make.user('la'))
      await expect(service().rules(la)).rejects.toMatchObject({ status: 403 })
      await expect(service().checkText(la, { text: 'x', lang: 'en' })).rejects.toMatchObject({ status: 403 })
      const hmi = asActor(await ctx.make.user('hmi'))
      expect((await service().rules(hmi)).length).toBeGreaterThan(0)
      expect((await service().rules()).find((r) => r.code === 'grade-words-en')!.enabled).toBe(true)
      await expect(service().setEnabled(systemActor('test'), 'no-such-rule', false)).rejects.toMatchObject({ status: 404 })
    })
  })
}
