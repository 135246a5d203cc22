import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'
import mammoth from 'mammoth'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp, type TestContext } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'
import { systemActor } from '../auth/actor.ts'
import { MailService } from '../mail/mail.service.ts'
import { asActor, reviewFixture } from '../letter-review/letter-review.fixtures.ts'
import { unmetForIssue } from './letter-issue.service.ts'

const NOW = '2027-03-10T10:00:00.000Z'

/** A real SMTP server on 127.0.0.1 keeping every message it accepts, parsed. */
async function startSmtp() {
  const received: ParsedMail[] = []
  const server = new SMTPServer({
    secure: false, disabledCommands: ['STARTTLS'], authOptional: true, logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => { received.push(mail); callback() }, (err: Error) => callback(err))
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return { received, port: (server.server.address() as AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) }
}

async function setDirector(ctx: TestContext, code: string, email: string) {
  const a = await ctx.services.reference.getAuthority(code)
  await ctx.services.reference.updateAuthority(systemActor('test'), code, {
    nameEn: a.name_en, nameCy: a.name_cy, directorName: 'Director Dewi', directorEmail: email, preferredLanguage: a.preferred_language, version: a.version,
  })
}

describe('unmetForIssue', () => {
  const section = (current: boolean, en: string, cy: string) => ({
    id: 1, key: 'focus:1', position: 1, focusAreaId: 1, heading: { en: 'Attendance', cy: 'Presenoldeb' }, edited: true,
    translation: { original: null, current }, paragraphs: [{ id: 1, style: 'bullet' as const, text: { en, cy }, findingIds: [1], fixed: false }],
  })
  it('names each thing that stops issuing, and nothing when all is ready', () => {
    const ready = { state: 'approved' as const, director: { name: 'D', email: 'd@x.invalid' }, sections: [section(true, 'Good', 'Da')] }
    expect(unmetForIssue(ready, 'quality_assurance')).toEqual([])
    const codes = unmetForIssue({ state: 'in_review', director: { name: 'D', email: null }, sections: [section(false, 'Text', 'Testun'), section(true, 'Only English', '')] }, 'drafting')
      .map((d) => d.messageKey)
    expect(codes).toEqual(['letterIssue.rule.notApproved', 'letterIssue.rule.visitNotInReview', 'letterIssue.rule.noDirectorEmail',
      'letterIssue.rule.translationNotCurrent', 'letterIssue.rule.translationNotCurrent'])
  })
})

for (const engine of testEngines()) {
  describe(`issuing the letter on ${engine.name}`, () => {
    const ctx = useTestApp(engine, { clock: fixedClock(NOW) })
    let smtp: Awaited<ReturnType<typeof startSmtp>>
    beforeAll(async () => { smtp = await startSmtp() })
    afterAll(async () => { await smtp?.close() })

    async function approvedLetter(authority: string) {
      const f = await reviewFixture(ctx.services, ctx.make.user, authority)
      await setDirector(ctx, authority, `director.${authority.toLowerCase()}@example.invalid`)
      const reviewer = asActor(await ctx.make.user('reviewer'))
      const submitted = await ctx.services.letterReview.submit(f.lead, f.elvId, { version: 1 })
      const approved = await ctx.services.letterReview.approve(reviewer, f.elvId, { version: submitted.version })
      return { ...f, reviewer, version: approved.version }
    }

    it('locks the letter, stores its files unchanged with checksums, sends one bilingual e-mail and moves the visit to issued', async () => {
      const { elvId, lead, member, version } = await approvedLetter('W06000001')
      // Only an administrator or the lead issues; the version must be current.
      await expect(ctx.services.letterIssue.issue(member, elvId, { version })).rejects.toMatchObject({ code: 'forbidden' })
      await expect(ctx.services.letterIssue.issue(lead, elvId, { version: version - 1 })).rejects.toMatchObject({ code: 'version_conflict' })

      const issued = await ctx.services.letterIssue.issue(lead, elvId, { version })
      expect(issued).toMatchObject({ state: 'issued', date: '2027-03-10' })
      expect((await ctx.services.visits.get(lead, elvId)).state).toBe('issued')
      // Locked: no edit, no second issue.
      await expect(ctx.services.letters.build(lead, elvId, { version: issued.version })).rejects.toMatchObject({ code: 'rule_violation' })
      await expect(ctx.services.letters.updateSection(lead, elvId, 'closing', { paragraphs: [{ style: 'text', en: 'Changed', cy: 'Newid' }], version: issued.version })).rejects.toMatchObject({ status: 409 })
      await expect(ctx.services.letterIssue.issue(lead, elvId, { version: issued.version })).rejects.toMatchObject({ status: 409 })

      const files = await ctx.services.letterIssue.issuedFiles(lead, elvId)
      expect(files.map((f) => `${f.format}:${f.lang}`).sort()).toEqual(['docx:both', 'docx:cy', 'docx:en', 'html:both', 'html:cy', 'html:en', 'pdf:both', 'pdf:cy', 'pdf:en'])
      for (const f of files) {
        const { stream } = (await ctx.services.letterIssue.issuedFile(lead, elvId, f.format, f.lang))!
        const bytes = Buffer.concat(await stream.toArray())
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256)
        expect(bytes.length).toBe(f.size_bytes)
      }
      // The bilingual PDF reads Welsh first, then English.
      const pdf = Buffer.concat(await (await ctx.services.letterIssue.issuedFile(lead, elvId, 'pdf', 'both'))!.stream.toArray())
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cyswllt-letter-'))
      try {
        fs.writeFileSync(path.join(dir, 'letter.pdf'), pdf)
        const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'letter.pdf'), '-'], { encoding: 'utf8' })
        expect(text.indexOf('Mae presenoldeb yn gwella')).toBeGreaterThan(-1)
        expect(text.indexOf('Mae presenoldeb yn gwella')).toBeLessThan(text.indexOf('Attendance is improving'))
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
      const docx = Buffer.concat(await (await ctx.services.letterIssue.issuedFile(lead, elvId, 'docx', 'en'))!.stream.toArray())
      expect((await mammoth.extractRawText({ buffer: docx })).value).toContain('Plans for additional learning needs lack measurable targets.')

      // One message, both languages at the same moment, both PDFs attached; delivered over real SMTP.
      const outbox = (await ctx.services.mail.forEntity('elv', elvId)).filter((m) => m.attachments)
      expect(outbox).toHaveLength(1)
      const mailer = new MailService(ctx.services.database, fixedClock(NOW), { smtpUrl: `smtp://127.0.0.1:${smtp.port}?ignoreTLS=true`, from: 'Cyswllt <c@example.invalid>' }, ctx.services.files)
      try {
        expect(await mailer.deliverPending()).toBeGreaterThanOrEqual(1)
      } finally {
        mailer.stop()
      }
      const mail = smtp.received.find((m) => m.attachments.length > 0)!
      expect(mail.to && 'text' in mail.to ? mail.to.text : '').toContain('director.w06000001@example.invalid')
      expect(mail.text).toContain('Mae presenoldeb yn gwella mewn ysgolion uwchradd.')
      expect(mail.text).toContain('Attendance is improving in secondary schools.')
      expect(mail.text!.indexOf('Mae presenoldeb')).toBeLessThan(mail.text!.indexOf('Attendance is improving'))
      expect(mail.attachments.map((a) => a.contentType)).toEqual(['application/pdf', 'application/pdf'])
      expect(mail.attachments.map((a) => a.filename)).toEqual([expect.stringContaining('Cymraeg'), expect.stringContaining('English')])

      const audit = await ctx.services.database.db.selectFrom('audit_event').select('action').where('entity_id', '=', String(elvId)).execute()
      expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['letter.issue', 'elv.transition']))
    })

    it('refuses an unapproved letter with the reasons and leaves nothing behind', async () => {
      const f = await reviewFixture(ctx.services, ctx.make.user, 'W06000002')
      await setDirector(ctx, 'W06000002', 'director@example.invalid')
      const admin = asActor(await ctx.make.user('admin'))
      const storedFiles = () => (fs.existsSync(ctx.config.files.dir) ? fs.readdirSync(ctx.config.files.dir, { recursive: true }).length : 0)
      const before = storedFiles()
      await expect(ctx.services.letterIssue.issue(admin, f.elvId, { version: 1 })).rejects.toMatchObject({
        code: 'rule_violation', details: [{ messageKey: 'letterIssue.rule.notApproved' }, { messageKey: 'letterIssue.rule.visitNotInReview' }],
      })
      expect(storedFiles()).toBe(before)
      expect(await ctx.services.database.db.selectFrom('letter_file').innerJoin('letter', 'letter.id', 'letter_file.letter_id').select('letter_file.id').where('letter.elv_id', '=', f.elvId).execute()).toEqual([])
      expect((await ctx.services.visits.get(admin, f.elvId)).state).toBe('drafting')
    })

    it('shows the authority nothing of a draft, and the issued letter on its Documents tab; outputs through the API', async () => {
      const { elvId, lead, version } = await approvedLetter('W06000003')
      const { browser: la } = await ctx.signedIn('la', { authority: 'W06000003' })
      expect((await la.get(`/elvs/${elvId}/letter.pdf`)).statusCode).toBe(404)
      expect((await la.get(`/elvs/${elvId}/documents`)).body).not.toContain('letter.pdf')

      // Before issue the team downloads the draft, rendered now.
      const { browser: team } = await ctx.signedIn('admin')
      const draft = await team.get(`/elvs/${elvId}/letter.docx?lang=cy`)
      expect(draft.statusCode).toBe(200)
      expect(draft.headers['content-type']).toContain('wordprocessingml')
      expect((await team.get(`/elvs/${elvId}/letter.pdf?lang=fr`)).statusCode).toBe(400)

      await ctx.services.letterIssue.issue(lead, elvId, { version })
      const page = await la.get(`/elvs/${elvId}/documents`)
      expect(page.body).toContain(`/elvs/${elvId}/letter.pdf?lang=both`)
      const pdf = await la.get(`/elvs/${elvId}/letter.pdf?lang=both`)
      expect(pdf.statusCode).toBe(200)
      const stored = (await ctx.services.letterIssue.issuedFiles(lead, elvId)).find((f) => f.format === 'pdf' && f.lang === 'both')!
      expect(pdf.headers['x-content-sha256']).toBe(stored.sha256)
      expect(createHash('sha256').update(pdf.rawPayload).digest('hex')).toBe(stored.sha256)
      const html = await la.get(`/elvs/${elvId}/letter.html?lang=cy`)
      expect(html.headers['content-security-policy']).toContain("default-src 'none'")
      expect(html.body).toContain('lang="cy"')
      // Another authority's user sees none of it.
      const { browser: other } = await ctx.signedIn('la', { authority: 'W06000004' })
      expect((await other.get(`/elvs/${elvId}/letter.pdf`)).statusCode).toBe(404)
    })
  })
}
