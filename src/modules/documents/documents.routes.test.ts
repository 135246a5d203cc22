import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LightMyRequestResponse } from 'fastify'
import { testEngines } from '../../../test/helpers/engines.ts'
import { csrfTokenIn, useTestApp, type Browser, type TestContext } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'
import type { AppUser } from '../../db/schema.ts'
import { startS3TestServer, type S3TestServer } from '../../../test/helpers/s3-server.ts'
import { systemActor, type UserActor } from '../auth/actor.ts'
import type { ElvView } from '../visits/visits.service.ts'
import { sampleDocx, sampleElf, samplePdf, samplePng, sampleZip } from './sample-files.ts'

const CARDIFF = 'W06000015'
const POWYS = 'W06000023'
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

const asActor = (u: AppUser): UserActor => ({ kind: 'user', id: u.id, name: u.name, email: u.email, role: u.role, authorityCode: u.authority_code })

interface FilePart { filename: string; content: Buffer; type?: string }

/** A multipart form post with any number of files in the `file` field, and the CSRF token of `from`. */
async function postFiles(ctx: TestContext, browser: Browser, url: string, fields: Record<string, string>, files: FilePart[], from: string): Promise<LightMyRequestResponse> {
  const token = csrfTokenIn((await browser.get(from)).body)
  const boundary = `----cyswllt-documents-${Date.now()}`
  const parts: Buffer[] = []
  for (const [name, value] of Object.entries({ ...fields, _csrf: token })) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`))
  }
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.filename}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`), f.content, Buffer.from('\r\n'))
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return ctx.app.inject({
    method: 'POST', url, payload: Buffer.concat(parts),
    headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': `multipart/form-data; boundary=${boundary}` },
  })
}

/** Every file under the app's files directory. */
function storedFiles(ctx: TestContext): string[] {
  const dir = ctx.config.files.dir
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).sort()
}

const counts = async (ctx: TestContext) => {
  const db = ctx.services.database.db
  const [items, files] = await Promise.all([
    db.selectFrom('evidence').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('evidence_file').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { items: Number(items.n), files: Number(files.n), stored: storedFiles(ctx).length }
}

const latestFile = (ctx: TestContext) => ctx.services.database.db.selectFrom('evidence_file as f').innerJoin('evidence as e', 'e.id', 'f.evidence_id')
  .select(['f.id', 'f.evidence_id', 'f.storage_key', 'f.file_name', 'f.media_type', 'f.size_bytes', 'f.extracted_text', 'e.kind', 'e.title', 'e.body', 'e.source', 'e.from_authority'])
  .orderBy('f.id', 'desc').executeTakeFirstOrThrow()

/** The shared documents section of the Documents tab (after the form). */
const sharedList = (html: string) => html.slice(html.indexOf('id="shared"'))

for (const engine of testEngines()) {
  describe(`documents: uploads and downloads on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z') })
    const system = systemActor('test')
    let cardiff: ElvView, powys: ElvView
    let team: { browser: Browser; user: AppUser }

    beforeAll(async () => {
      cardiff = await ctx.services.visits.create(system, { authority: CARDIFF, term: '2026-2027/spring' })
      powys = await ctx.services.visits.create(system, { authority: POWYS, term: '2026-2027/spring' })
      team = await ctx.signedIn('hmi')
      await ctx.services.team.add(system, cardiff.id, { email: team.user.email, lead: true })
    })

    const documentsOf = (elv: ElvView) => `/elvs/${elv.id}/documents`

    it('lets an authority user share a PDF: listed, its text kept for search, stored under a random key, downloadable', async () => {
      const la = await ctx.signedIn('la', { authority: CARDIFF })
      const page = await la.browser.get(documentsOf(cardiff))
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('enctype="multipart/form-data"')
      expect(page.body).toContain('Share document')
      expect(page.body).toContain('up to 50 MB')
      expect(page.body).toContain('PDF, DOCX, XLSX, PPTX, PNG, JPEG, GIF, WebP, TXT')
      expect(page.body).not.toContain('Uploading documents arrives with the evidence log')

      const pdf = samplePdf(['Attendance is improving in secondary schools'])
      const res = await la.browser.postFile(documentsOf(cardiff), { title: '', body: 'Our self-evaluation <script>alert(1)</script>' },
        { field: 'file', filename: '../../Hunanwerthuso 2025.pdf', content: pdf, type: 'application/pdf' })
      expect(res.statusCode).toBe(303)
      expect(res.headers.location).toBe(documentsOf(cardiff))

      const file = await latestFile(ctx)
      expect(file).toMatchObject({
        kind: 'authority_document', from_authority: 1, title: 'Hunanwerthuso 2025.pdf', source: 'Cardiff',
        file_name: 'Hunanwerthuso 2025.pdf', media_type: 'application/pdf', size_bytes: pdf.length,
      })
      expect(file.extracted_text).toContain('Attendance is improving in secondary schools')
      expect(file.storage_key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
      // Stored under its key, inside the files directory, and nowhere under the name it was sent with.
      expect(storedFiles(ctx)).toContain(file.storage_key)
      expect(fs.existsSync(path.join(ctx.config.files.dir, file.storage_key.slice(0, 2), file.storage_key))).toBe(true)
      expect(fs.existsSync(path.resolve(ctx.config.files.dir, '../../Hunanwerthuso 2025.pdf'))).toBe(false)

      const listed = await la.browser.get(documentsOf(cardiff))
      expect(listed.body).toContain('“Hunanwerthuso 2025.pdf” has been shared with the inspection team.')
      const shared = sharedList(listed.body)
      expect(shared).toContain(`href="/evidence/${file.evidence_id}/files/${file.id}"`)
      expect(shared).toContain('(PDF, ')
      expect(shared).toContain('Our self-evaluation &lt;script&gt;alert(1)&lt;/script&gt;')
      expect(shared).not.toContain('<script>alert(1)')
      expect(shared).toContain(`${la.user.name}, Cardiff`)
      // The authority has no evidence item pages: its titles are not links to them.
      expect(shared).not.toContain(`/elvs/${cardiff.id}/evidence/`)

      const download = await la.browser.get(`/evidence/${file.evidence_id}/files/${file.id}`)
      expect(download.statusCode).toBe(200)
      expect(download.rawPayload.equals(pdf)).toBe(true)
      expect(download.headers['content-type']).toBe('application/pdf')
      expect(download.headers['content-disposition']).toBe(`attachment; filename="Hunanwerthuso 2025.pdf"; filename*=UTF-8''Hunanwerthuso%202025.pdf`)
      expect(download.headers['x-content-type-options']).toBe('nosniff')
      expect(download.headers['cache-control']).toBe('private, no-store')

      // The team sees it too, with a link to the item in the evidence log.
      const forTeam = sharedList((await team.browser.get(documentsOf(cardiff))).body)
      expect(forTeam).toContain(`href="/elvs/${cardiff.id}/evidence/${file.evidence_id}"`)
      expect((await team.browser.get(`/evidence/${file.evidence_id}/files/${file.id}`)).rawPayload.equals(pdf)).toBe(true)
    })

    it('lets an inspector on the team add a document; the authority does not see what inspectors add', async () => {
      const page = await team.browser.get(documentsOf(cardiff))
      expect(page.body).toContain('Add document')
      const docx = await sampleDocx(['Notes sent by the head of inclusion', 'Exclusions fell this year'])
      const res = await team.browser.postFile(documentsOf(cardiff), { title: 'Inclusion notes', body: '' }, { field: 'file', filename: 'inclusion.docx', content: docx })
      expect(res.statusCode).toBe(303)
      const file = await latestFile(ctx)
      expect(file).toMatchObject({ kind: 'authority_document', from_authority: 0, title: 'Inclusion notes', source: 'inclusion.docx', media_type: DOCX })
      expect(file.extracted_text).toMatch(/Notes sent by the head of inclusion\s+Exclusions fell this year/)
      const listed = await team.browser.get(documentsOf(cardiff))
      expect(listed.body).toContain('“Inclusion notes” has been added.')
      expect(sharedList(listed.body)).toContain(`${team.user.name}, for the inspectorate`)

      const la = await ctx.signedIn('la', { authority: CARDIFF })
      expect(sharedList((await la.browser.get(documentsOf(cardiff))).body)).not.toContain('Inclusion notes')
      expect((await la.browser.get(`/evidence/${file.evidence_id}/files/${file.id}`)).statusCode).toBe(404)

      // An HMI not on the team sees the list but has no form, and may not add.
      const other = await ctx.signedIn('hmi')
      const theirs = await other.browser.get(documentsOf(cardiff))
      expect(theirs.statusCode).toBe(200)
      expect(theirs.body).toContain('Inclusion notes')
      expect(theirs.body).not.toContain('enctype="multipart/form-data"')
      const before = await counts(ctx)
      const refused = await other.browser.postFile(documentsOf(cardiff), {}, { field: 'file', filename: 'x.txt', content: 'hello' })
      expect(refused.statusCode).toBe(403)
      expect(await counts(ctx)).toEqual(before)
    })

    it('gives an authority user of another authority 404 for the page, the upload and the files', async () => {
      const ownLa = await ctx.signedIn('la', { authority: CARDIFF })
      await ownLa.browser.postFile(documentsOf(cardiff), { title: 'Strategic plan' }, { field: 'file', filename: 'plan.txt', content: 'Our strategic plan' })
      const file = await latestFile(ctx)

      const powysLa = await ctx.signedIn('la', { authority: POWYS })
      expect((await powysLa.browser.get(documentsOf(cardiff))).statusCode).toBe(404)
      expect((await powysLa.browser.get(documentsOf(powys))).statusCode).toBe(200)
      const before = await counts(ctx)
      const post = await powysLa.browser.postFile(documentsOf(cardiff), { title: 'Sneaky' }, { field: 'file', filename: 'x.txt', content: 'x' }, { from: documentsOf(powys) })
      expect(post.statusCode).toBe(404)
      expect(post.body).not.toContain('Cardiff')
      expect(await counts(ctx)).toEqual(before)
      const download = await powysLa.browser.get(`/evidence/${file.evidence_id}/files/${file.id}`)
      expect(download.statusCode).toBe(404)
      expect(download.body).not.toContain('Our strategic plan')

      // The same through the API with each one's token.
      const tokenOf = async (u: AppUser) => (await ctx.services.auth.createToken(system, u.email)).token
      const api = (token: string | undefined) => ctx.app.inject({ url: `/api/v1/evidence/${file.evidence_id}/files/${file.id}`, headers: token ? { authorization: `Bearer ${token}` } : {} })
      expect((await api(await tokenOf(powysLa.user))).statusCode).toBe(404)
      const own = await api(await tokenOf(ownLa.user))
      expect(own.statusCode).toBe(200)
      expect(own.body).toBe('Our strategic plan')
      expect(own.headers['content-type']).toBe('text/plain; charset=utf-8')
      expect(own.headers['content-disposition']).toBe(`attachment; filename="plan.txt"; filename*=UTF-8''plan.txt`)
      expect((await api(await tokenOf(team.user))).statusCode).toBe(200)
      expect((await api(undefined)).statusCode).toBe(401)
    })

    it('shows an authority user only its own authority’s shared files, never the files of inspectors’ notes', async () => {
      const hmi = asActor(team.user)
      const note = await ctx.services.evidence.create(hmi, cardiff.id, { kind: 'meeting_note', title: 'Director meeting', body: 'x', source: 'Director' }, [{ fileName: 'photo.png', data: samplePng() }])
      const la = await ctx.signedIn('la', { authority: CARDIFF })
      const photo = note.files[0]!
      expect((await la.browser.get(`/evidence/${note.id}/files/${photo.id}`)).statusCode).toBe(404)
      const forTeam = await team.browser.get(`/evidence/${note.id}/files/${photo.id}`)
      expect(forTeam.statusCode).toBe(200)
      expect(forTeam.headers['content-type']).toBe('image/png')
      // A file id of another item, or no such file, is 404 too.
      expect((await team.browser.get(`/evidence/${note.id}/files/${photo.id + 1000}`)).statusCode).toBe(404)
      expect((await team.browser.get(`/evidence/${note.id}/files/abc`)).statusCode).toBe(404)
    })

    it('refuses a disguised file with 415 on the same page, and leaves nothing behind', async () => {
      const la = await ctx.signedIn('la', { authority: CARDIFF })
      const before = await counts(ctx)
      for (const [filename, content] of [['report.pdf', sampleElf()], ['plan.docx', sampleZip({ 'plan.txt': 'not Word' })]] as const) {
        const res = await la.browser.postFile(documentsOf(cardiff), { title: 'Annual report', body: 'Kept when refused' }, { field: 'file', filename, content, type: 'application/pdf' })
        expect(res.statusCode).toBe(415)
        expect(res.body).toContain('There is a problem')
        expect(res.body).toContain(`“${filename}” is not a type of file that can be uploaded here`)
        expect(res.body).toContain('href="#file"')
        expect(res.body).toContain('value="Annual report"')
        expect(res.body).toContain('Kept when refused')
      }
      expect(await counts(ctx)).toEqual(before)
    })

    it('asks for a file when none was chosen, keeping what was typed', async () => {
      const la = await ctx.signedIn('la', { authority: CARDIFF })
      const before = await counts(ctx)
      const res = await la.browser.postFile(documentsOf(cardiff), { title: 'No file', body: 'Described' }, { field: 'file', filename: '', content: '' })
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('Choose a file')
      expect(res.body).toContain('value="No file"')
      expect(res.body).not.toContain('Choose the file again.')
      // A problem with the words, not the file: the file has to be chosen again, and the page says so.
      const longTitle = await la.browser.postFile(documentsOf(cardiff), { title: 'x'.repeat(201) }, { field: 'file', filename: 'plan.txt', content: 'A plan' })
      expect(longTitle.statusCode).toBe(400)
      expect(longTitle.body).toContain('href="#title"')
      expect(longTitle.body).toContain('Choose the file again.')
      expect(await counts(ctx)).toEqual(before)
    })

    it('accepts a file bigger than the ordinary form limit of 1 MB when the upload limit allows it', async () => {
      const la = await ctx.signedIn('la', { authority: CARDIFF })
      const big = Buffer.alloc(3 * 1024 * 1024, 'Attendance. ')
      const res = await la.browser.postFile(documentsOf(cardiff), { title: 'Big minutes' }, { field: 'file', filename: 'minutes.txt', content: big })
      expect(res.statusCode).toBe(303)
      expect(await latestFile(ctx)).toMatchObject({ title: 'Big minutes', size_bytes: big.length, media_type: 'text/plain' })
    })

    it('attaches several files to an existing item and goes back to its page; a refused one leaves the item as it was', async () => {
      const hmi = asActor(team.user)
      const item = await ctx.services.evidence.create(hmi, cardiff.id, { kind: 'data', title: 'Attendance data', body: '', source: 'Data unit' })
      const url = `/elvs/${cardiff.id}/evidence/${item.id}/files`
      const res = await postFiles(ctx, team.browser, url, {}, [
        { filename: 'chart.png', content: samplePng() },
        { filename: 'table.pdf', content: samplePdf(['Persistent absence 14 per cent']) },
      ], documentsOf(cardiff))
      expect(res.statusCode).toBe(303)
      expect(res.headers.location).toBe(`/elvs/${cardiff.id}/evidence/${item.id}`)
      const after = await ctx.services.evidence.get(hmi, item.id)
      expect(after.files.map((f) => [f.file_name, f.media_type])).toEqual([['chart.png', 'image/png'], ['table.pdf', 'application/pdf']])
      expect(after.version).toBe(item.version + 1)

      const before = await counts(ctx)
      const refused = await postFiles(ctx, team.browser, url, {}, [{ filename: 'ok.txt', content: Buffer.from('fine') }, { filename: 'run.pdf', content: sampleElf() }], documentsOf(cardiff))
      expect(refused.statusCode).toBe(415)
      expect(refused.body).toContain('“run.pdf” is not a type of file that can be uploaded here')
      expect(await counts(ctx)).toEqual(before)
      expect((await ctx.services.evidence.get(hmi, item.id)).version).toBe(after.version)

      const none = await postFiles(ctx, team.browser, url, {}, [], documentsOf(cardiff))
      expect(none.statusCode).toBe(400)
      expect(none.body).toContain('Choose a file')

      // The visit in the address must be the item's own.
      expect((await postFiles(ctx, team.browser, `/elvs/${powys.id}/evidence/${item.id}/files`, {}, [{ filename: 'a.txt', content: Buffer.from('a') }], documentsOf(cardiff))).statusCode).toBe(404)
      // An authority user may add files to what its authority shared, not to inspectors' items.
      const la = await ctx.signedIn('la', { authority: CARDIFF })
      expect((await postFiles(ctx, la.browser, url, {}, [{ filename: 'a.txt', content: Buffer.from('a') }], documentsOf(cardiff))).statusCode).toBe(404)
      const own = await ctx.services.evidence.create(asActor(la.user), cardiff.id, { title: 'Plan', source: 'Cardiff' }, [{ fileName: 'plan.txt', data: Buffer.from('plan') }])
      const added = await postFiles(ctx, la.browser, `/elvs/${cardiff.id}/evidence/${own.id}/files`, {}, [{ filename: 'appendix.txt', content: Buffer.from('appendix') }], documentsOf(cardiff))
      expect(added.statusCode).toBe(303)
      expect(added.headers.location).toBe(documentsOf(cardiff))
      expect((await ctx.services.evidence.get(asActor(la.user), own.id)).files.map((f) => f.file_name)).toEqual(['plan.txt', 'appendix.txt'])
    })
  })

  describe(`documents: the upload limit on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z'), env: { UPLOAD_MAX_MB: '1' } })
    let elv: ElvView

    beforeAll(async () => {
      elv = await ctx.services.visits.create(systemActor('test'), { authority: CARDIFF, term: '2026-2027/spring' })
    })

    it('refuses a file over the limit with 413 on the Documents page, and leaves no row and no file', async () => {
      const la = await ctx.signedIn('la', { authority: CARDIFF })
      const before = await counts(ctx)
      const res = await la.browser.postFile(`/elvs/${elv.id}/documents`, { title: 'Too big' }, { field: 'file', filename: 'huge.txt', content: Buffer.alloc(1024 * 1024 + 1, 'a') })
      expect(res.statusCode).toBe(413)
      expect(res.body).toContain('There is a problem')
      expect(res.body).toContain('The file must be smaller than 1 MB. Nothing was saved: choose a smaller file.')
      expect(res.body).toContain('up to 1 MB')
      expect(await counts(ctx)).toEqual(before)
      expect(before.stored).toBe(0)
      // Exactly at the limit is allowed.
      const atLimit = await la.browser.postFile(`/elvs/${elv.id}/documents`, { title: 'Just fits' }, { field: 'file', filename: 'fits.txt', content: Buffer.alloc(1024 * 1024, 'a') })
      expect(atLimit.statusCode).toBe(303)
      expect(await counts(ctx)).toEqual({ items: before.items + 1, files: before.files + 1, stored: 1 })
    })

    it('says on the error page that the file was too large and nothing was saved, for other upload forms', async () => {
      const la = await ctx.signedIn('la', { authority: CARDIFF })
      const own = await ctx.services.evidence.create(asActor(la.user), elv.id, { title: 'Plan', source: 'Cardiff' })
      const before = await counts(ctx)
      const res = await postFiles(ctx, la.browser, `/elvs/${elv.id}/evidence/${own.id}/files`, {}, [{ filename: 'huge.pdf', content: Buffer.alloc(2 * 1024 * 1024, 'a') }], `/elvs/${elv.id}/documents`)
      expect(res.statusCode).toBe(413)
      expect(res.body).toContain('The file is too large. Nothing was saved: choose a smaller file.')
      expect(await counts(ctx)).toEqual(before)
    })
  })

  describe(`documents in S3-compatible storage on ${engine.name}`, () => {
    // Started before the app (hooks run in order), so the app's configuration can name it.
    const env: Record<string, string> = {}
    let s3: S3TestServer
    beforeAll(async () => {
      s3 = await startS3TestServer()
      Object.assign(env, s3.env)
    })
    afterAll(async () => s3?.close())
    const ctx = useTestApp(engine, { clock: fixedClock('2026-07-01T09:00:00.000Z'), env })

    it('uploads through the app into the bucket and downloads the same bytes; a refused file adds nothing', async () => {
      const elv = await ctx.services.visits.create(systemActor('test'), { authority: CARDIFF, term: '2026-2027/spring' })
      const la = await ctx.signedIn('la', { authority: CARDIFF })
      const pdf = samplePdf(['School improvement support', 'Page two'])
      const res = await la.browser.postFile(`/elvs/${elv.id}/documents`, { title: '' }, { field: 'file', filename: 'support.pdf', content: pdf })
      expect(res.statusCode).toBe(303)
      const file = await latestFile(ctx)
      expect(file.extracted_text).toContain('School improvement support')
      expect(await s3.keys()).toEqual([file.storage_key])
      expect(storedFiles(ctx)).toEqual([])

      const download = await la.browser.get(`/evidence/${file.evidence_id}/files/${file.id}`)
      expect(download.statusCode).toBe(200)
      expect(download.rawPayload.equals(pdf)).toBe(true)
      expect(download.headers['content-type']).toBe('application/pdf')

      const refused = await la.browser.postFile(`/elvs/${elv.id}/documents`, {}, { field: 'file', filename: 'fake.pdf', content: sampleElf() })
      expect(refused.statusCode).toBe(415)
      expect(await s3.keys()).toEqual([file.storage_key])
    })
  })
}
