import nodemailer, { type Transporter } from 'nodemailer'
import type { Database, Db } from '../../db/database.ts'
import type { Clock } from '../../clock.ts'
import type { OutboxMessage } from '../../db/schema.ts'
import { buffer } from 'node:stream/consumers'
import type { FileStore } from '../../storage/file-store.ts'
import { MAX_ATTEMPTS, outboxRepository, type MailAttachment, type NewMessage } from './outbox.repository.ts'

export interface MailConfig {
  /** smtp://user:pass@host:port; without it mail stays in the outbox, shown to admins. */
  smtpUrl: string | undefined
  from: string
}

/** How long a sender holds its claim on a message: far longer than one send can take (see the timeouts). */
const CLAIM_MINUTES = 5

/**
 * Mail goes through the outbox: written in the transaction of the change that causes it (so a
 * notification is never lost nor sent for a change that rolled back), then delivered over SMTP.
 */
export class MailService {
  private transporter: Transporter | undefined
  private timer: NodeJS.Timeout | undefined
  private inFlight: Promise<number> | undefined

  constructor(private readonly database: Database, private readonly clock: Clock, private readonly config: MailConfig, private readonly files: FileStore) {
    if (config.smtpUrl) {
      // Options in the URL's query (e.g. ?ignoreTLS=true) win over these; the timeouts keep one
      // unreachable server from holding a claim anywhere near its expiry.
      this.transporter = nodemailer.createTransport({
        url: config.smtpUrl,
        connectionTimeout: 20_000,
        greetingTimeout: 20_000,
        socketTimeout: 60_000,
      })
    }
  }

  get delivering(): boolean { return Boolean(this.transporter) }

  enqueue(trx: Db, message: NewMessage): Promise<number> {
    return outboxRepository(trx).insert(message, this.clock.nowIso())
  }

  list(limit?: number): Promise<OutboxMessage[]> { return outboxRepository(this.database.db).list(limit) }
  get(id: number): Promise<OutboxMessage | undefined> { return outboxRepository(this.database.db).get(id) }
  forEntity(type: string, id: string | number): Promise<OutboxMessage[]> { return outboxRepository(this.database.db).forEntity(type, id) }

  /** True when a message will not be tried again (it failed too often). */
  gaveUp(m: Pick<OutboxMessage, 'sent_at' | 'attempts'>): boolean { return !m.sent_at && m.attempts >= MAX_ATTEMPTS }

  /**
   * Sends what is waiting; returns how many were sent. Failures are kept (with the error) for the
   * next round. Every message is claimed first, so other app servers delivering from the same
   * database at the same time never send it twice.
   */
  async deliverPending(limit = 20): Promise<number> {
    if (!this.transporter) return 0
    const repo = outboxRepository(this.database.db)
    const now = this.clock.now()
    const claimed = await repo.claim(now.toISOString(), new Date(now.getTime() + CLAIM_MINUTES * 60_000).toISOString(), limit)
    let sent = 0
    for (const m of claimed) {
      try {
        const attachments = await this.attachmentsOf(m)
        await this.transporter.sendMail({ from: this.config.from, to: m.to_address, subject: m.subject, text: m.text_body, html: m.html_body, attachments })
      } catch (err) {
        await repo.markFailed(m.id, err instanceof Error ? err.message : String(err))
        continue
      }
      await repo.markSent(m.id, this.clock.nowIso())
      sent++
    }
    return sent
  }

  /** The message's stored files, read afresh for each try (a failed read fails the try, to be tried again). */
  private async attachmentsOf(m: OutboxMessage): Promise<Array<{ filename: string; content: Buffer; contentType: string }>> {
    if (!m.attachments) return []
    const files = JSON.parse(m.attachments) as MailAttachment[]
    return Promise.all(files.map(async (f) => ({ filename: f.fileName, contentType: f.contentType, content: await buffer(await this.files.get(f.storageKey)) })))
  }

  /** Delivers every few seconds in the background until stopped; a slow round is never overlapped by the next. */
  start(intervalMs = 5000, onError: (err: unknown) => void = () => {}): void {
    if (!this.transporter || this.timer) return
    const tick = () => {
      if (this.inFlight) return
      this.inFlight = this.deliverPending().catch((err: unknown) => { onError(err); return 0 }).finally(() => { this.inFlight = undefined })
    }
    this.timer = setInterval(tick, intervalMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    this.transporter?.close()
  }
}
