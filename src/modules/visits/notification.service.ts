import type { Database, Db } from '../../db/database.ts'
import type { Elv, Language } from '../../db/schema.ts'
import type { I18n } from '../../i18n/catalogue.ts'
import { formatDate } from '../../http/web.ts'
import type { Actor } from '../auth/actor.ts'
import type { MailService } from '../mail/mail.service.ts'
import { referenceRepository } from '../reference/reference.repository.ts'

/** One language's text of the notification: the same model makes the e-mail and the printable letter. */
export interface NotificationText {
  lang: Language
  /** The date of notification, written out in this language ('' before the ELV is notified). */
  date: string
  /** The lines of the address: the director, then the authority. */
  addressee: string[]
  subject: string
  greeting: string
  paragraphs: string[]
  signOff: string
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/**
 * The notification to the director that an ELV will take place: Welsh and English together in
 * one message, Welsh first (the Welsh Language Standards ask for both at the same moment).
 */
export class NotificationService {
  constructor(
    private readonly database: Database,
    private readonly mail: MailService,
    private readonly i18n: I18n,
    private readonly publicUrl: string,
  ) {}

  async texts(elv: Elv, db: Db = this.database.db): Promise<NotificationText[]> {
    const ref = referenceRepository(db)
    const [authority, term] = await Promise.all([ref.getAuthority(elv.authority_code), ref.getTerm(elv.term_key)])
    return (['cy', 'en'] as const).map((lang) => {
      const t = this.i18n.translator(lang)
      const season = term ? t(`visits.season.${term.season}`) : elv.term_key
      const params = {
        authority: authority ? (lang === 'cy' ? authority.name_cy : authority.name_en) : elv.authority_code,
        director: authority?.director_name ?? t('notification.directorFallback'),
        term: `${season} ${term?.academic_year ?? ''}`.trim(),
        ordinal: t(`visits.ordinal.${elv.ordinal}`),
        days: elv.visit_day1 && elv.visit_day2
          ? t('notification.daysKnown', { day1: formatDate(elv.visit_day1, lang), day2: formatDate(elv.visit_day2, lang) })
          : t('notification.daysToFollow'),
      }
      return {
        lang,
        date: elv.notified_at ? formatDate(elv.notified_at, lang) : '',
        addressee: [authority?.director_name ?? t('notification.directorFallback'), params.authority],
        subject: t('notification.subject', params),
        greeting: t('notification.greeting', params),
        paragraphs: ['purpose', 'when', 'focus', 'noPaperwork', 'outcome'].map((k) => t(`notification.${k}`, params)),
        signOff: t('notification.signOff'),
      }
    })
  }

  /** Writes the bilingual notification e-mail to the outbox, in the transaction that notifies. */
  async notify(trx: Db, _actor: Actor, elv: Elv): Promise<void> {
    const authority = await referenceRepository(trx).getAuthority(elv.authority_code)
    // Without a director's address the letter is still recorded and printable; the ELV page says so.
    if (!authority?.director_email) return
    const texts = await this.texts(elv, trx)
    const subject = texts.map((x) => x.subject).join(' / ')
    const text = texts.map((x) => [x.greeting, '', ...x.paragraphs.flatMap((p) => [p, '']), x.signOff].join('\n')).join('\n\n----------\n\n')
    const html = texts.map((x) =>
      `<div lang="${x.lang}"><p>${escape(x.greeting)}</p>${x.paragraphs.map((p) => `<p>${escape(p)}</p>`).join('')}<p>${escape(x.signOff)}</p></div>`,
    ).join('<hr>')
    const link = `${this.publicUrl}/elvs/${elv.id}/notification`
    await this.mail.enqueue(trx, {
      to: authority.director_email,
      subject,
      text: `${text}\n\n${link}`,
      html: `<!doctype html><html><body>${html}<p><a href="${escape(link)}">${escape(link)}</a></p></body></html>`,
      entity: { type: 'elv', id: elv.id },
    })
  }
}
