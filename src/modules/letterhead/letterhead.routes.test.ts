import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor } from '../auth/actor.ts'
import type { AppUser } from '../../db/schema.ts'
import { fixedClock } from '../../clock.ts'
import { DEFAULT_LETTERHEAD, LETTERHEAD_KEYS, letterheadSettings, readLetterhead } from '../letters/letterhead.ts'
import { renderLetterHtml } from '../letters/render/html.ts'
import { sampleLetter } from '../letters/render/letter.fixture.ts'

/** The text of the error summary's links, in order. */
function summaryErrors(html: string): string[] {
  const summary = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? ''
  return [...summary.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map((m) => `${m[1]} ${m[2]!.trim()}`)
}
const h1Count = (html: string) => (html.match(/<h1[\s>]/g) ?? []).length
const valueOf = (html: string, id: string) => {
  const input = new RegExp(`<input[^>]*id="${id}"[^>]*>`).exec(html)?.[0]
  if (input) return /value="([^"]*)"/.exec(input)?.[1]
  return new RegExp(`<textarea[^>]*id="${id}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1]?.trim()
}

const versionOf = (html: string) => /name="version" value="(\d+)"/.exec(html)![1]!

const GOOD = {
  organisationEn: 'Estyn', organisationCy: 'Estyn',
  addressEn: 'Anchor Court\nKeen Road\nCardiff CF24 5JW', addressCy: 'Llys Angor\nHeol Keen\nCaerdydd CF24 5JW',
  phone: '0300 123 4500', email: 'Ymholiadau@Estyn.gov.wales', website: 'www.estyn.llyw.cymru',
}

for (const engine of testEngines()) {
  describe(`letterhead settings on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z') })
    const db = () => ctx.services.database.db
    const clear = () => db().deleteFrom('app_setting').where('key', 'like', 'letterhead.%').execute()
    const tokenOf = async (user: AppUser) => (await ctx.services.auth.createToken(systemActor('test'), user.email)).token
    const call = (token: string, method: 'GET' | 'PUT', url: string, body?: unknown) => ctx.app.inject({
      method, url, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    })

    it('reads the defaults until something is saved, and each field never saved stays the default', async () => {
      await clear()
      expect(await readLetterhead(db())).toEqual(DEFAULT_LETTERHEAD)
      expect(await letterheadSettings(db()).read()).toMatchObject({ version: 1, updatedAt: null })
      // A contact line saved empty is left off; a name saved empty (by hand) falls back to the default.
      await db().insertInto('app_setting').values([
        { key: LETTERHEAD_KEYS.phone, value: '', updated_at: '2026-07-01T09:00:00.000Z' },
        { key: LETTERHEAD_KEYS.organisationCy, value: '  ', updated_at: '2026-07-01T09:00:00.000Z' },
        { key: LETTERHEAD_KEYS.addressEn, value: 'Somewhere else', updated_at: '2026-07-01T09:00:00.000Z' },
      ]).execute()
      expect(await readLetterhead(db())).toEqual({ ...DEFAULT_LETTERHEAD, phone: '', address: { ...DEFAULT_LETTERHEAD.address, en: 'Somewhere else' } })
      await clear()
    })

    it('lets only an administrator change the letterhead on its page, checks it, keeps what was typed, and audits the change', async () => {
      await clear()
      const hmi = (await ctx.signedIn('hmi')).browser
      expect((await hmi.get('/admin/letterhead')).statusCode).toBe(403)
      expect((await hmi.post('/admin/letterhead', { ...GOOD, version: '1' }, { from: '/' })).statusCode).toBe(403)

      const admin = (await ctx.signedIn('admin')).browser
      const form = await admin.get('/admin/letterhead')
      expect(form.statusCode).toBe(200)
      expect(h1Count(form.body)).toBe(1)
      expect(form.body).toContain('<h1 class="govuk-heading-l">Letterhead</h1>')
      expect(valueOf(form.body, 'organisation-en')).toBe('Estyn')
      expect(valueOf(form.body, 'address-cy')).toBe('Llys Angor, Heol Keen, Caerdydd CF24 5JW')
      expect(valueOf(form.body, 'phone')).toBe('0300 123 4500')
      expect(form.body).toMatch(/<label class="govuk-label govuk-label--s" for="address-en">\s*Address in English\s*<\/label>/)
      const version = versionOf(form.body)

      const bad = await admin.post('/admin/letterhead', {
        organisationEn: '', organisationCy: 'Estyn', addressEn: 'a\nb\nc\nd\ne\nf\ng', addressCy: '',
        phone: 'call us', email: 'not an email', website: 'estyn gov wales', version,
      })
      expect(bad.statusCode).toBe(400)
      expect(summaryErrors(bad.body)).toEqual([
        '#organisation-en Enter the name of the organisation in English',
        '#address-en The address in English can have at most 6 lines',
        '#address-cy Enter the address in Welsh',
        '#phone Enter the telephone number using only numbers, spaces, brackets and the signs + and -',
        '#email Enter the email address in the correct format, like name@example.gov.wales',
        '#website Enter the website as a web address without spaces, like www.estyn.gov.wales',
      ])
      expect(valueOf(bad.body, 'phone')).toBe('call us')
      expect(valueOf(bad.body, 'address-en')).toBe('a\nb\nc\nd\ne\nf\ng')
      expect(await readLetterhead(db())).toEqual(DEFAULT_LETTERHEAD)

      const ok = await admin.post('/admin/letterhead', { ...GOOD, addressEn: ' Anchor Court \r\n\r\nKeen Road\r\nCardiff CF24 5JW', version })
      expect(ok.statusCode).toBe(303)
      expect(ok.headers.location).toBe('/admin/letterhead')
      const after = await admin.get('/admin/letterhead')
      expect(after.body).toContain('Letterhead saved')
      expect(await readLetterhead(db())).toEqual({
        organisation: { en: 'Estyn', cy: 'Estyn' },
        address: { en: 'Anchor Court\nKeen Road\nCardiff CF24 5JW', cy: 'Llys Angor\nHeol Keen\nCaerdydd CF24 5JW' },
        phone: '0300 123 4500', email: 'ymholiadau@estyn.gov.wales', website: 'www.estyn.llyw.cymru',
      })
      const audit = await db().selectFrom('audit_event').selectAll().where('action', '=', 'settings.letterhead').execute()
      expect(audit).toHaveLength(1)
      expect(audit[0]).toMatchObject({ entity_type: 'setting', entity_id: 'letterhead' })
      expect(JSON.parse(audit[0]!.details)).toMatchObject({
        before: { addressEn: DEFAULT_LETTERHEAD.address.en, website: 'www.estyn.gov.wales' },
        after: { addressEn: 'Anchor Court\nKeen Road\nCardiff CF24 5JW', website: 'www.estyn.llyw.cymru' },
      })

      // An old form does not overwrite a newer save: the newer values are kept and the form says so.
      const stale = await admin.post('/admin/letterhead', { ...GOOD, organisationEn: 'Old form', version })
      expect(stale.statusCode).toBe(409)
      expect(stale.body).toContain('Someone else changed the letterhead after you opened this page')
      expect(valueOf(stale.body, 'organisation-en')).toBe('Old form')
      expect((await readLetterhead(db())).organisation.en).toBe('Estyn')
      const current = versionOf(stale.body)
      expect(Number(current)).toBe(Number(version) + 1)
      // Contact lines may be emptied: they are then left off the letter.
      expect((await admin.post('/admin/letterhead', { ...GOOD, phone: '', website: '', version: current })).statusCode).toBe(303)
      const letter = renderLetterHtml({ ...sampleLetter(), letterhead: await readLetterhead(db()) }, 'en')
      expect(letter).toContain('<address class="letterhead__contact">Anchor Court<br>\nKeen Road<br>\nCardiff CF24 5JW<br>\nEmail: ymholiadau@estyn.gov.wales</address>')
      // The page in Welsh.
      admin.cookies.set('cyswllt_lang', 'cy')
      const welsh = await admin.get('/admin/letterhead')
      expect(welsh.body).toContain('<h1 class="govuk-heading-l">Pennawd llythyr</h1>')
      expect(welsh.body).toMatch(/for="address-en">\s*Cyfeiriad yn Saesneg\s*</)
      await clear()
    })

    it('reads and replaces the letterhead through the API, for administrators only', async () => {
      await clear()
      const hmi = await tokenOf(await ctx.make.user('hmi'))
      expect((await call(hmi, 'GET', '/api/v1/settings/letterhead')).statusCode).toBe(403)
      expect((await call(hmi, 'PUT', '/api/v1/settings/letterhead', { version: 1 })).statusCode).toBe(403)
      const admin = await tokenOf(await ctx.make.user('admin'))
      const audited = async () => (await db().selectFrom('audit_event').select('id').where('action', '=', 'settings.letterhead').execute()).length
      const auditedBefore = await audited()

      const read = await call(admin, 'GET', '/api/v1/settings/letterhead')
      expect(read.statusCode).toBe(200)
      expect(read.json()).toEqual({ ...DEFAULT_LETTERHEAD, version: 1, updatedAt: null })

      const bad = await call(admin, 'PUT', '/api/v1/settings/letterhead', { organisation: { en: 'Estyn' }, address: { en: 'x', cy: 'y' }, website: 'not a site' })
      expect(bad.statusCode).toBe(400)
      expect(bad.json().error.code).toBe('validation_failed')
      expect(bad.json().error.details.map((d: { path: string; code: string }) => [d.path, d.code])).toEqual([
        ['organisation.cy', 'validation.required'], ['website', 'letterhead.rule.website'], ['version', 'validation.integer'],
      ])

      const body = { organisation: { en: 'Estyn', cy: 'Estyn' }, address: { en: 'Anchor Court', cy: 'Llys Angor' }, phone: '', email: 'enquiries@estyn.gov.wales', website: 'https://www.estyn.gov.wales', version: 1 }
      const saved = await call(admin, 'PUT', '/api/v1/settings/letterhead', body)
      expect(saved.statusCode).toBe(200)
      expect(saved.json()).toEqual({ ...body, version: 2, updatedAt: '2026-07-01T09:00:00.000Z' })
      expect(await readLetterhead(db())).toEqual({ organisation: body.organisation, address: body.address, phone: '', email: body.email, website: body.website })

      const stale = await call(admin, 'PUT', '/api/v1/settings/letterhead', { ...body, organisation: { en: 'Late', cy: 'Hwyr' } })
      expect(stale.statusCode).toBe(409)
      expect(stale.json().error.code).toBe('version_conflict')
      expect((await call(admin, 'GET', '/api/v1/settings/letterhead')).json()).toMatchObject({ organisation: { en: 'Estyn' }, version: 2 })
      expect(await audited()).toBe(auditedBefore + 1)
      await clear()
    })
  })
}
