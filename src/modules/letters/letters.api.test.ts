import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'
import type { AppUser, LetterState, Role } from '../../db/schema.ts'
import { fixedClock } from '../../clock.ts'

const asActor = (u: AppUser): UserActor => ({ kind: 'user', id: u.id, name: u.name, email: u.email, role: u.role, authorityCode: u.authority_code })
const TERM = '2026-2027/spring'

interface SectionJson { id: number; key: string; heading: { en: string; cy: string }; translation: { original: string | null; current: boolean }; paragraphs: Array<{ id: number; style: string; en: string; cy: string; findingIds: number[] }> }

for (const engine of testEngines()) {
  describe(`letters API on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z') })
    const system = systemActor('test')
    const setLetterState = (elvId: number, state: LetterState) => ctx.services.database.db.updateTable('letter').set({ state }).where('elv_id', '=', elvId).execute()
    const userWithToken = async (role: Role, authority?: string) => {
      const user = await ctx.make.user(role, authority ? { authority } : {})
      return { user, token: (await ctx.services.auth.createToken(system, user.email)).token }
    }
    const call = (token: string, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) => ctx.app.inject({
      method, url, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    })

    async function visit(authority: string) {
      const { user, token } = await userWithToken('hmi')
      const hmi = asActor(user)
      const elv = await ctx.services.visits.create(system, { authority, term: TERM })
      await ctx.services.team.add(system, elv.id, { email: hmi.email, lead: true })
      const fa = await ctx.services.focusAreas.propose(system, elv.id, { title: 'Attendance', description: 'x', source: 'authority_priority' })
      const evidence: number[] = []
      for (const [kind, source] of [['meeting_note', 'Director'], ['data', 'Data unit'], ['authority_document', 'Authority']] as const) {
        evidence.push((await ctx.services.evidence.create(hmi, elv.id, { kind, title: `${kind} ${source}`, body: 'Notes', source, focusAreaIds: [fa.id] })).id)
      }
      const finding = await ctx.services.findings.create(hmi, elv.id, { focusAreaId: fa.id, kind: 'improvement', text: 'Plans lack measurable targets.', evidenceIds: evidence })
      return { token, hmi, elv, fa, finding, url: `/api/v1/elvs/${elv.id}/letter` }
    }

    it('builds, reads and changes the letter, section by section in both languages', async () => {
      const { token, fa, finding, url } = await visit('W06000001')
      expect((await call(token, 'GET', url)).statusCode).toBe(404)
      const built = await call(token, 'POST', url)
      expect(built.statusCode).toBe(201)
      const body = built.json()
      expect(body).toMatchObject({ state: 'draft', version: 1, date: '2026-07-01', problems: expect.any(Array) })
      const part = (body.sections as SectionJson[]).find((s) => s.key === `focus:${fa.id}:improvement`)!
      expect(part).toMatchObject({
        heading: { en: 'Considerations for improvement', cy: 'Ystyriaethau ar gyfer gwella' },
        translation: { original: 'en', current: false },
        paragraphs: [{ style: 'bullet', en: 'Plans lack measurable targets.', cy: '', findingIds: [finding.id] }],
      })
      expect(typeof part.id).toBe('number')
      expect(typeof part.paragraphs[0]!.id).toBe('number')
      expect((await call(token, 'GET', url)).json()).toEqual(body)

      const patched = await call(token, 'PATCH', url, {
        version: 1,
        sections: [
          { key: part.key, paragraphs: [{ id: part.paragraphs[0]!.id, cy: 'Nid oes gan gynlluniau dargedau mesuradwy.' }], translationCurrent: true },
          { key: 'purpose', heading: { en: '<em>Purpose</em>' } },
        ],
      })
      expect(patched.statusCode).toBe(200)
      const after = patched.json()
      expect(after.version).toBe(2)
      const sections = after.sections as SectionJson[]
      expect(sections.find((s) => s.key === part.key)).toMatchObject({
        translation: { original: 'cy', current: true },
        paragraphs: [{ id: part.paragraphs[0]!.id, en: 'Plans lack measurable targets.', cy: 'Nid oes gan gynlluniau dargedau mesuradwy.', findingIds: [finding.id] }],
      })
      expect(sections.find((s) => s.key === 'purpose')).toMatchObject({ heading: { en: '<em>Purpose</em>', cy: 'Diben yr ymweliad' }, translation: { original: 'en', current: false } })

      const stale = await call(token, 'PATCH', url, { version: 1, sections: [{ key: 'purpose', heading: { en: 'Late' } }] })
      expect(stale.statusCode).toBe(409)
      expect(stale.json().error).toMatchObject({ code: 'version_conflict', details: [{ path: 'version' }] })
      const wrong = await call(token, 'PATCH', url, { version: 2, sections: [{ key: 'nonsense' }, { key: 'purpose', paragraphs: [{ style: 'heading', en: 'x' }] }] })
      expect(wrong.statusCode).toBe(400)
      expect(wrong.json().error.details.map((d: { path: string; code: string }) => [d.path, d.code])).toEqual([
        ['sections.1.paragraphs.0.style', 'letters.rule.style'],
        ['sections.0.key', 'letters.rule.unknownSection'],
      ])
      expect((await call(token, 'PATCH', url, { sections: [{ key: 'purpose' }] })).statusCode).toBe(400)

      // A rebuild keeps the edited sections unless asked; the body may be left out.
      const rebuilt = await call(token, 'POST', url, { keepEdited: true })
      expect(rebuilt.statusCode).toBe(200)
      expect((rebuilt.json().sections as SectionJson[]).find((s) => s.key === 'purpose')!.heading.en).toBe('<em>Purpose</em>')
      const replaced = await call(token, 'POST', url, { keepEdited: false, version: 3 })
      expect(replaced.statusCode).toBe(200)
      expect((replaced.json().sections as SectionJson[]).find((s) => s.key === 'purpose')!.heading.en).toBe('The purpose of the visit')
      expect((await call(token, 'POST', url, { version: 1 })).statusCode).toBe(409)
    })

    it('answers with the writing checks’ problems when they are there', async () => {
      const { token, url } = await visit('W06000002')
      const target = ctx.services.writingChecks as unknown as Record<string, unknown>
      const own = Object.prototype.hasOwnProperty.call(target, 'check')
      const before = target.check
      target.check = async () => [{ rule: 'follow-up', message: 'Avoid “must”: it implies follow-up', section: 3, paragraph: null, lang: 'en' }]
      try {
        const built = await call(token, 'POST', url)
        expect(built.json().problems).toEqual([{ rule: 'follow-up', message: 'Avoid “must”: it implies follow-up', section: 3, paragraph: null, lang: 'en' }])
        target.check = async () => { throw new Error('broken') }
        const read = await call(token, 'GET', url)
        expect(read.statusCode).toBe(200)
        expect(read.json().problems).toMatchObject([{ rule: 'checks_unavailable' }])
      } finally {
        if (own) target.check = before
        else delete target.check
      }
    })

    it('answers 404 to an authority token for a letter not issued, and keeps the state rules', async () => {
      const { token, elv, url } = await visit('W06000003')
      const la = await userWithToken('la', 'W06000003')
      expect((await call(la.token, 'POST', url)).statusCode).toBe(404)
      await call(token, 'POST', url)
      expect((await call(la.token, 'GET', url)).statusCode).toBe(404)
      expect((await call(la.token, 'PATCH', url, { version: 1, sections: [{ key: 'purpose', heading: { en: 'x' } }] })).statusCode).toBe(404)

      const reviewer = await userWithToken('reviewer')
      expect((await call(reviewer.token, 'GET', url)).statusCode).toBe(200)
      expect((await call(reviewer.token, 'POST', url)).statusCode).toBe(403)

      await setLetterState(elv.id, 'in_review')
      const refused = await call(token, 'POST', url)
      expect(refused.statusCode).toBe(409)
      expect(refused.json().error).toMatchObject({ code: 'rule_violation', details: [{ path: 'state', code: 'letters.rule.rebuildOnlyDraft', message: 'The letter is In review: it can be rebuilt from the findings only while it is a draft' }] })

      await setLetterState(elv.id, 'issued')
      const issued = await call(token, 'PATCH', url, { version: 1, sections: [{ key: 'purpose', heading: { en: 'x' } }] })
      expect(issued.statusCode).toBe(409)
      expect(issued.json().error).toMatchObject({ code: 'rule_violation', details: [{ code: 'letters.rule.issued' }] })
      const read = await call(la.token, 'GET', url)
      expect(read.statusCode).toBe(200)
      expect(read.json()).toMatchObject({ state: 'issued', problems: [] })
      const elsewhere = await userWithToken('la', 'W06000004')
      expect((await call(elsewhere.token, 'GET', url)).statusCode).toBe(404)
    })

    it('describes the letter API in the OpenAPI document', async () => {
      const doc = (await ctx.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json()
      const letter = doc.paths['/api/v1/elvs/{id}/letter']
      expect(Object.keys(letter).sort()).toEqual(['get', 'patch', 'post'])
      expect(Object.keys(letter.post.responses)).toEqual(expect.arrayContaining(['200', '201', '404', '409']))
    })
  })
}
