import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp, type TestContext } from '../../../test/helpers/test-app.ts'
import { fixedClock } from '../../clock.ts'
import { systemActor } from '../auth/actor.ts'
import { MailService } from './mail.service.ts'

interface Received { rcptTo: string[]; mail: ParsedMail }

/** A real SMTP server on 127.0.0.1 that keeps every message it accepts, parsed. */
async function startSmtp(port = 0) {
  const received: Received[] = []
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      // Accept the message only once it is parsed, so a finished sendMail means it is in `received`.
      simpleParser(stream).then((mail) => {
        received.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address), mail })
        callback()
      }, (err: Error) => callback(err))
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  return {
    received,
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

const FROM = 'Cyswllt <cyswllt@estyn.test>'

async function setDirector(ctx: TestContext, code: string, name: string, email: string | null) {
  const a = await ctx.services.reference.getAuthority(code)
  await ctx.services.reference.updateAuthority(systemActor('test'), code, {
    nameEn: a.name_en, nameCy: a.name_cy, directorName: name, directorEmail: email ?? '', preferredLanguage: a.preferred_language, version: a.version,
  })
}

async function notifiedElv(ctx: TestContext, authority: string) {
  const elv = await ctx.services.visits.create(systemActor('test'), { authority, term: '2026-2027/spring' })
  await ctx.services.visits.transition(systemActor('test'), elv.id, { to: 'notified' })
  return elv
}

for (const engine of testEngines()) {
  describe(`notification e-mail over SMTP on ${engine.name}`, () => {
    const env: Record<string, string> = { MAIL_FROM: FROM }
    let smtp: Awaited<ReturnType<typeof startSmtp>>
    beforeAll(async () => {
      smtp = await startSmtp()
      env.SMTP_URL = `smtp://127.0.0.1:${smtp.port}`
    })
    const clock = fixedClock('2026-07-01T09:00:00.000Z')
    const ctx = useTestApp(engine, { clock, env })
    afterAll(async () => {
      ctx.services?.mail.stop()
      await smtp?.close()
    })

    it('sends the bilingual notification once to the director, Welsh first', async () => {
      await setDirector(ctx, 'W06000008', 'Dr Elin Jones', 'director@ceredigion.test')
      const elv = await notifiedElv(ctx, 'W06000008')
      const rows = await ctx.services.mail.forEntity('elv', elv.id)
      expect(rows).toHaveLength(1)
      expect(rows[0]).toMatchObject({ to_address: 'director@ceredigion.test', sent_at: null, attempts: 0 })

      expect(await ctx.services.mail.deliverPending()).toBe(1)
      expect(smtp.received).toHaveLength(1)
      const { rcptTo, mail } = smtp.received[0]!
      expect(rcptTo).toEqual(['director@ceredigion.test'])
      expect(mail.from?.value[0]?.address).toBe('cyswllt@estyn.test')
      const text = mail.text ?? ''
      expect(text).toContain('Annwyl Dr Elin Jones,')
      expect(text).toContain('Dear Dr Elin Jones,')
      expect(text.indexOf('Annwyl')).toBeLessThan(text.indexOf('Dear'))
      expect(text).toContain(`/elvs/${elv.id}/notification`)
      const subject = mail.subject ?? ''
      expect(subject).toContain('Hysbysiad o ymweliad gwell arolygydd cyswllt: Ceredigion')
      expect(subject).toContain('Notification of an enhanced link inspector visit: Ceredigion')
      expect(subject.indexOf('Hysbysiad')).toBeLessThan(subject.indexOf('Notification'))
      expect(String(mail.html)).toContain('lang="cy"')
      expect(String(mail.html)).toContain('lang="en"')

      const [sent] = await ctx.services.mail.forEntity('elv', elv.id)
      expect(sent).toMatchObject({ sent_at: '2026-07-01T09:00:00.000Z', attempts: 1, last_error: null, claimed_until: null })

      expect(await ctx.services.mail.deliverPending()).toBe(0)
      expect(smtp.received).toHaveLength(1)
    })

    it('keeps the error when the server is down and delivers on a later round', async () => {
      const port = smtp.port
      await smtp.close()
      await setDirector(ctx, 'W06000011', 'Mr Huw Evans', 'director@swansea.test')
      const elv = await notifiedElv(ctx, 'W06000011')

      expect(await ctx.services.mail.deliverPending()).toBe(0)
      const [failed] = await ctx.services.mail.forEntity('elv', elv.id)
      expect(failed!.sent_at).toBeNull()
      expect(failed!.attempts).toBe(1)
      expect(failed!.last_error).toMatch(/ECONNREFUSED|connect/i)
      expect(failed!.claimed_until).toBeNull()

      smtp = await startSmtp(port)
      clock.advanceMinutes(1)
      expect(await ctx.services.mail.deliverPending()).toBe(1)
      expect(smtp.received.map((r) => r.rcptTo)).toEqual([['director@swansea.test']])
      const [sent] = await ctx.services.mail.forEntity('elv', elv.id)
      expect(sent).toMatchObject({ attempts: 2, last_error: null })
      expect(sent!.sent_at).not.toBeNull()
      expect(await ctx.services.mail.deliverPending()).toBe(0)
      expect(smtp.received).toHaveLength(1)
    })

    it('never sends a message twice when two servers deliver at the same time', async () => {
      const before = smtp.received.length
      const ids: number[] = []
      await ctx.services.database.db.transaction().execute(async (trx) => {
        for (let i = 1; i <= 8; i++) {
          ids.push(await ctx.services.mail.enqueue(trx, { to: `person${i}@example.test`, subject: `Message ${i}`, text: `Body ${i}`, html: `<p>Body ${i}</p>` }))
        }
      })
      const config = { smtpUrl: env.SMTP_URL, from: FROM }
      const a = new MailService(ctx.services.database, clock, config, ctx.services.files)
      const b = new MailService(ctx.services.database, clock, config, ctx.services.files)
      // Open pooled connections first (PostgreSQL), so every sender's first query starts at once
      // and they really race for the same messages.
      await Promise.all(Array.from({ length: 6 }, () => ctx.services.database.db.selectFrom('outbox').select('id').limit(1).execute()))
      try {
        const counts = await Promise.all([a.deliverPending(), b.deliverPending(), a.deliverPending(), b.deliverPending()])
        expect(counts.reduce((x, y) => x + y, 0)).toBe(8)
      } finally {
        a.stop()
        b.stop()
      }
      const subjects = smtp.received.slice(before).map((r) => r.mail.subject).sort()
      expect(subjects).toEqual(ids.map((_, i) => `Message ${i + 1}`).sort())
      for (const id of ids) expect(await ctx.services.mail.get(id)).toMatchObject({ attempts: 1, last_error: null })
    })
  })
}
