import { createHash, randomUUID } from 'node:crypto'
import type { Readable } from 'node:stream'
import type { Database, Db } from '../../db/database.ts'
import type { Language, LetterFile } from '../../db/schema.ts'
import type { Clock } from '../../clock.ts'
import type { I18n } from '../../i18n/catalogue.ts'
import { Check } from '../../http/check.ts'
import { AppError, type ErrorDetail, forbidden, notFound } from '../../http/errors.ts'
import type { FileStore } from '../../storage/file-store.ts'
import type { Actor } from '../auth/actor.ts'
import type { AuditService } from '../audit/audit.service.ts'
import type { MailService } from '../mail/mail.service.ts'
import type { MailAttachment } from '../mail/outbox.repository.ts'
import type { VisitsService, ElvView } from '../visits/visits.service.ts'
import { elvWrites } from '../visits/visits.repository.ts'
import { readinessRepository } from '../visits/readiness.repository.ts'
import type { LettersService } from '../letters/letters.service.ts'
import { letterRepository, letterWrites } from '../letters/letters.repository.ts'
import type { LetterModel } from '../letters/letter.model.ts'
import { renderLetterHtmlDocument } from '../letters/render/html.ts'
import { renderLetterPdf } from '../letters/render/pdf.ts'
import { LETTER_LANGUAGES, type LetterLanguages, type LetterWords } from '../letters/render/layout.ts'
import { letterFiles, type IssuedFormat } from './letter-issue.repository.ts'

export const ISSUED_FORMATS: readonly IssuedFormat[] = ['pdf', 'docx', 'html']
export const MEDIA_TYPES: Record<IssuedFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html; charset=utf-8',
}

interface Rendered { format: IssuedFormat; lang: LetterLanguages; bytes: Buffer; sha256: string; storageKey: string }

/** The DOCX renderer and its library (some 15 MB in memory), loaded with the first letter issued. */
const loadDocx = () => import('../letters/render/docx.ts')

const rule = (path: string, messageKey: string, params: Record<string, string | number> = {}): ErrorDetail => ({ path, messageKey, params })

/**
 * What stops the letter being issued now, each named: an empty list means it may go. Pure, so the
 * page can show the reasons before anyone presses the button.
 */
export function unmetForIssue(letter: Pick<LetterModel, 'state' | 'sections' | 'director'>, elvState: string): ErrorDetail[] {
  const unmet: ErrorDetail[] = []
  if (letter.state !== 'approved') unmet.push(rule('state', 'letterIssue.rule.notApproved', { state: `@letters.state.${letter.state}` }))
  if (elvState !== 'quality_assurance') unmet.push(rule('visit', 'letterIssue.rule.visitNotInReview', { state: `@visits.state.${elvState}` }))
  if (!letter.director.email) unmet.push(rule('director', 'letterIssue.rule.noDirectorEmail'))
  for (const s of letter.sections) {
    const written = s.paragraphs.filter((p) => !p.fixed)
    const lacking = written.some((p) => !p.text.en.trim() || !p.text.cy.trim())
    if (written.length && (lacking || !s.translation.current)) {
      unmet.push(rule('sections', 'letterIssue.rule.translationNotCurrent', { section: s.heading.en || s.key }))
    }
  }
  return unmet
}

/**
 * Issuing the approved letter: it is locked, its files are rendered once and stored unchanged
 * with their checksums, the director gets one e-mail with both languages at the same moment,
 * the authority's users see it, and the ELV moves to `issued`.
 */
export class LetterIssueService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly visits: VisitsService,
    private readonly letters: LettersService,
    private readonly mail: MailService,
    private readonly files: FileStore,
    private readonly i18n: I18n,
    private readonly publicUrl: string,
  ) {}

  private words(): LetterWords { return { en: this.i18n.translator('en'), cy: this.i18n.translator('cy') } }

  /** Administrators and the ELV's lead inspector issue letters. */
  async mayIssue(actor: Actor, elv: Pick<ElvView, 'id'>, db: Db = this.database.db): Promise<boolean> {
    if (actor.kind === 'system' || actor.role === 'admin') return true
    if (actor.role !== 'hmi' && actor.role !== 'peer') return false
    const team = await readinessRepository(db).team(elv.id)
    return team.some((m) => m.user_id === actor.id && m.is_lead === 1)
  }

  async issue(actor: Actor, elvId: number, input: { version?: unknown }): Promise<LetterModel> {
    const check = new Check()
    const version = check.integer('version', 'letterIssue.field.version', input.version, { min: 1 })
    check.done()
    const elv = await this.visits.get(actor, elvId)
    if (!(await this.mayIssue(actor, elv))) throw forbidden()
    const draft = await this.letters.model(actor, elvId)
    if (draft.version !== version) throw staleLetterForIssue()
    const unmet = unmetForIssue(draft, elv.state)
    if (unmet.length) throw new AppError('rule_violation', 'The letter cannot be issued yet: see each reason.', unmet)

    // Rendered before the transaction (it takes a moment), exactly as it will be issued: dated today.
    const issuedOn = this.clock.nowIso().slice(0, 10)
    const issued: LetterModel = { ...draft, state: 'issued', date: issuedOn, version: draft.version + 1 }
    const rendered = await this.render(issued)
    try {
      await this.database.db.transaction().execute(async (trx) => {
        const letter = await letterRepository(trx).forElv(elvId)
        const current = await this.visits.get(actor, elvId, trx)
        // Someone changed the letter or the visit while it was being rendered: nothing is issued.
        if (!letter || letter.version !== version || letter.state !== 'approved' || current.state !== 'quality_assurance') throw staleLetterForIssue()
        const now = this.clock.nowIso()
        const userId = actor.kind === 'user' ? actor.id : null
        const bumped = await letterWrites(trx).bump(letter.id, version, now, 'issued')
        if (!bumped) throw staleLetterForIssue()
        await letterFiles(trx).markIssued(letter.id, { issuedOn, issuedAt: now, issuedBy: userId })
        await letterFiles(trx).insert(letter.id, rendered.map((r) => ({ format: r.format, lang: r.lang, storageKey: r.storageKey, sha256: r.sha256, sizeBytes: r.bytes.length })), now)
        await letterWrites(trx).insertRevision({ letterId: letter.id, number: bumped.version, state: 'issued', snapshot: JSON.stringify(issued), note: 'issued', createdBy: userId }, now)
        const moved = await elvWrites(trx).update(elvId, current.version, { state: 'issued' }, now)
        if (!moved) throw staleLetterForIssue()
        await this.audit.record(trx, actor, 'elv.transition', { type: 'elv', id: elvId }, { from: current.state, to: 'issued', reason: 'letter issued' })
        await this.enqueueMail(trx, issued, rendered)
        await this.audit.record(trx, actor, 'letter.issue', { type: 'elv', id: elvId }, {
          version: bumped.version, files: rendered.map((r) => ({ format: r.format, lang: r.lang, sha256: r.sha256 })),
        })
      })
    } catch (e) {
      await Promise.all(rendered.map((r) => this.files.delete(r.storageKey)))
      throw e
    }
    return this.letters.model(actor, elvId)
  }

  /** Every format in every language, stored under new keys. */
  private async render(model: LetterModel): Promise<Rendered[]> {
    const words = this.words()
    const out: Rendered[] = []
    try {
      for (const lang of LETTER_LANGUAGES) {
        const outputs: Array<[IssuedFormat, Buffer]> = [
          ['pdf', await renderLetterPdf(model, lang, words)],
          ['docx', await (await loadDocx()).renderLetterDocx(model, lang, words)],
          ['html', Buffer.from(renderLetterHtmlDocument(model, lang, words).html, 'utf8')],
        ]
        for (const [format, bytes] of outputs) {
          const storageKey = randomUUID()
          await this.files.put(storageKey, bytes, MEDIA_TYPES[format])
          out.push({ format, lang, bytes, storageKey, sha256: createHash('sha256').update(bytes).digest('hex') })
        }
      }
    } catch (e) {
      await Promise.all(out.map((r) => this.files.delete(r.storageKey)))
      throw e
    }
    return out
  }

  /** One message with both languages in its body (Welsh first) and both PDFs attached. */
  private async enqueueMail(trx: Db, model: LetterModel, rendered: readonly Rendered[]): Promise<void> {
    const t = this.words()
    const languages: Language[] = ['cy', 'en']
    const link = `${this.publicUrl}/elvs/${model.elvId}/documents`
    const pdf = (lang: LetterLanguages) => rendered.find((r) => r.format === 'pdf' && r.lang === lang)!
    const attachments: MailAttachment[] = languages.map((lang) => ({
      storageKey: pdf(lang).storageKey, contentType: MEDIA_TYPES.pdf, fileName: fileName(model, 'pdf', lang),
    }))
    const text = languages.map((lang) => [
      t[lang]('letterIssue.mail.intro', { authority: model.authority[lang] }),
      '',
      t[lang]('letterIssue.mail.attached'),
      t[lang]('letterIssue.mail.portal', { link }),
    ].join('\n')).join('\n\n----------\n\n')
    const html = renderLetterHtmlDocument(model, 'both', t).html
    await this.mail.enqueue(trx, {
      to: model.director.email!,
      subject: languages.map((lang) => model.title[lang]).join(' / '),
      text: `${text}\n\n----------\n\n${plainLetter(model)}`,
      html,
      entity: { type: 'elv', id: model.elvId },
      attachments,
    })
  }

  /** The issued files of a letter, for anyone who may see the ELV (authority users included, once issued). */
  async issuedFiles(actor: Actor, elvId: number): Promise<LetterFile[]> {
    await this.visits.get(actor, elvId)
    const letter = await letterRepository(this.database.db).forElv(elvId)
    if (!letter || letter.state !== 'issued') return []
    return letterFiles(this.database.db).list(letter.id)
  }

  /** One issued file, its bytes exactly as issued; undefined while the letter is not issued. */
  async issuedFile(actor: Actor, elvId: number, format: IssuedFormat, lang: LetterLanguages): Promise<{ file: LetterFile; stream: Readable; name: string } | undefined> {
    const elv = await this.visits.get(actor, elvId)
    const letter = await letterRepository(this.database.db).forElv(elvId)
    if (!letter || letter.state !== 'issued') return undefined
    const file = (await letterFiles(this.database.db).list(letter.id)).find((f) => f.format === format && f.lang === lang)
    if (!file) throw notFound('letter')
    const name = fileName({ authority: { en: elv.authority_name_en, cy: elv.authority_name_cy } }, format, lang)
    return { file, stream: await this.files.get(file.storage_key), name }
  }
}

export const staleLetterForIssue = () => new AppError('version_conflict', 'The letter or the visit changed while it was being issued: nothing was issued. Look at the letter as it is now and try again.', [
  { path: 'version', messageKey: 'validation.staleVersion' },
])

/** "ELV feedback - Ceredigion - Cymraeg.pdf": the authority's name in the letter's language, never a path. */
export function fileName(model: Pick<LetterModel, 'authority'>, format: IssuedFormat, lang: LetterLanguages): string {
  const name = (lang === 'cy' ? model.authority.cy : model.authority.en).replace(/[^\p{L}\p{N} -]/gu, '').trim() || 'letter'
  const suffix = lang === 'both' ? 'Cymraeg-English' : lang === 'cy' ? 'Cymraeg' : 'English'
  return `ELV ${name} ${suffix}.${format}`
}

/** The letter as plain text, Welsh first, for the e-mail's text part. */
function plainLetter(model: LetterModel): string {
  const languages: Language[] = ['cy', 'en']
  return languages.map((lang) => [
    model.title[lang],
    '',
    ...[...model.sections].sort((a, b) => a.position - b.position).flatMap((s) => [
      ...(s.heading[lang] ? [s.heading[lang], ''] : []),
      ...s.paragraphs.filter((p) => p.text[lang].trim()).map((p) => (p.style === 'bullet' ? `- ${p.text[lang]}` : `${p.text[lang]}\n`)),
      '',
    ]),
  ].join('\n')).join('\n\n----------\n\n')
}
