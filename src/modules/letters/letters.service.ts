import type { Database, Db } from '../../db/database.ts'
import { FINDING_KINDS, PARAGRAPH_STYLES, type FindingKind, type Flag, type Letter, type LetterParagraph, type LetterSection, type ParagraphStyle } from '../../db/schema.ts'
import type { Clock } from '../../clock.ts'
import { Check } from '../../http/check.ts'
import { AppError, forbidden, notFound, versionConflict } from '../../http/errors.ts'
import type { I18n } from '../../i18n/catalogue.ts'
import type { Actor } from '../auth/actor.ts'
import type { AuditService } from '../audit/audit.service.ts'
import type { ElvView, VisitsService } from '../visits/visits.service.ts'
import type { FindingsService } from '../findings/findings.service.ts'
import { findingLinks } from '../findings/findings.repository.ts'
import { triangulate } from '../findings/findings.rules.ts'
import { isEvidenceOpen } from '../evidence/evidence.service.ts'
import type { MailService } from '../mail/mail.service.ts'
import type { Bilingual, LetterModel, LetterParagraphModel, LetterSectionModel } from './letter.model.ts'
import { readLetterhead } from './letterhead.ts'
import { letterTitle, planLetter, type LetterFacts, type LetterWords, type SectionDraft } from './letter.templates.ts'
import { letterRepository, letterSources, letterWrites, type ParagraphValues, type SectionValues } from './letters.repository.ts'
import {
  changedLanguages, cleanText, MAX_HEADING, MAX_PARAGRAPH, MAX_PARAGRAPHS, originalLanguage, parseSectionKey, stateAfterEdit,
  translationAfterEdit, untranslated, type SectionTexts,
} from './letters.rules.ts'

/** One paragraph as an edit gives it: an `id` keeps an existing paragraph (fields left out keep their values); none adds one. */
export interface ParagraphInput {
  id?: unknown
  style?: unknown
  en?: unknown
  cy?: unknown
  findingIds?: unknown
}

/**
 * A change to one section. `heading` and `paragraphs` left out keep what is there; `paragraphs`
 * given is the whole list in order (paragraphs left out are removed, as are those empty in both
 * languages). `translationCurrent` says the other language is (true) or is not (false) up to date.
 */
export interface SectionInput {
  heading?: unknown
  paragraphs?: unknown
  translationCurrent?: unknown
}

/** What the letter tab and the API need besides the letter itself. */
export interface LetterPage {
  elv: ElvView
  letter: LetterModel | null
  /** May the actor change the text now? */
  mayEdit: boolean
  /** May the actor build (or rebuild) the letter now? */
  mayBuild: boolean
  /** Whether the actor could work on this visit's letter at all, state aside. */
  onTeam: boolean
  /** False once the visit is issued, closed or cancelled. */
  open: boolean
  /** Secure findings that no paragraph is drawn from: after a rebuild that kept edited sections, or a paragraph removed. */
  missingFindings: Array<{ id: number; focusAreaTitle: string; kind: FindingKind; text: string }>
}

export interface RevisionSummary { number: number; state: string; note: string | null; createdAt: string; createdByName: string | null }

export const staleLetter = () => versionConflict('Someone else saved this letter after you opened it. Nothing of yours was saved: look at the letter as it is now and make your change again.')

const letterRule = (messageKey: string, message: string, params?: Record<string, string | number>) =>
  new AppError('rule_violation', message, [{ path: 'state', messageKey, ...(params ? { params } : {}) }])

const isAuthority = (actor: Actor) => actor.kind === 'user' && actor.role === 'la'

interface ParsedParagraph { id: number | null; style: ParagraphStyle | undefined; en: string | undefined; cy: string | undefined; findingIds: number[] | undefined }
interface ParsedEdit {
  prefix: string
  key: string
  heading: Partial<Bilingual> | undefined
  paragraphs: ParsedParagraph[] | undefined
  translationCurrent: boolean | undefined
}

/** A date as YYYY-MM-DD in Wales: made once, as building a formatter costs far more than using one. */
const WALES_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' })

/** The feedback letter of an ELV: built from its findings, edited in both languages, reviewed and issued. */
export class LettersService {
  constructor(
    readonly database: Database,
    readonly audit: AuditService,
    readonly clock: Clock,
    readonly visits: VisitsService,
    readonly findings: FindingsService,
    readonly mail: MailService,
    private readonly i18n: I18n,
  ) {}

  /** The letter's template wording comes from the catalogue, in both languages. */
  private words(): LetterWords {
    return { en: this.i18n.translator('en'), cy: this.i18n.translator('cy') }
  }

  private userId(actor: Actor): number | null { return actor.kind === 'user' ? actor.id : null }

  /** Today in Wales, for the date a letter not yet issued bears. */
  private today(): string {
    return WALES_DAY.format(this.clock.now())
  }

  // ---- who may do what ----------------------------------------------------------------------

  /** The ELV and its letter, if any. Authority users see a letter only once issued: otherwise 404, as if there were none. */
  private async readable(actor: Actor, elvId: number, db: Db): Promise<{ elv: ElvView; letter: Letter | undefined }> {
    const elv = await this.visits.get(actor, elvId, db)
    const letter = await letterRepository(db).forElv(elvId)
    if (isAuthority(actor) && letter?.state !== 'issued') throw notFound('letter')
    return { elv, letter }
  }

  /** Opens a change to the letter: someone who may work on the visit, the visit open, the letter not issued. */
  private async writable(actor: Actor, elvId: number, db: Db): Promise<{ elv: ElvView; letter: Letter | undefined }> {
    const found = await this.readable(actor, elvId, db)
    if (found.letter?.state === 'issued') throw letterRule('letters.rule.issued', 'The letter has been issued and can no longer change.')
    if (!isEvidenceOpen(found.elv.state)) {
      throw letterRule('letters.rule.closed', 'The visit is closed or cancelled, so its letter can no longer change.', { state: `@visits.state.${found.elv.state}` })
    }
    if (isAuthority(actor) || !(await this.visits.canWork(actor, found.elv, db))) throw forbidden()
    return found
  }

  // ---- reads --------------------------------------------------------------------------------

  /** Everything the letter tab needs: the letter (or null, not yet built) and what the actor may do with it. */
  async get(actor: Actor, elvId: number): Promise<LetterPage> {
    const db = this.database.db
    const { elv, letter } = await this.readable(actor, elvId, db)
    const onTeam = !isAuthority(actor) && await this.visits.canWork(actor, elv, db)
    const open = isEvidenceOpen(elv.state)
    const model = letter ? await this.modelOf(db, letter, elv) : null
    const missingFindings = model && !isAuthority(actor) ? await this.missingFindings(db, elv, model) : []
    return {
      elv, letter: model, onTeam, open, missingFindings,
      mayEdit: onTeam && open && model !== null && model.state !== 'issued',
      mayBuild: onTeam && open && (model === null || model.state === 'draft'),
    }
  }

  /** The letter as one document model, for the renderers, the checks and the pages; 404 when there is none yet. */
  async model(actor: Actor, elvId: number): Promise<LetterModel> {
    const db = this.database.db
    const { elv, letter } = await this.readable(actor, elvId, db)
    if (!letter) throw notFound('letter')
    return this.modelOf(db, letter, elv)
  }

  /** The saved states of the letter, newest first. */
  async revisions(actor: Actor, elvId: number): Promise<RevisionSummary[]> {
    if (isAuthority(actor)) throw notFound('letter')
    const db = this.database.db
    const { letter } = await this.readable(actor, elvId, db)
    if (!letter) throw notFound('letter')
    const rows = await letterRepository(db).revisions(letter.id)
    return rows.map((r) => ({ number: r.number, state: r.state, note: r.note, createdAt: r.created_at, createdByName: r.created_by_name }))
  }

  /** The whole letter as it was saved at revision `number`. */
  async revision(actor: Actor, elvId: number, number: number): Promise<LetterModel> {
    if (isAuthority(actor)) throw notFound('letter')
    const db = this.database.db
    const { letter } = await this.readable(actor, elvId, db)
    const snapshot = letter ? await letterRepository(db).snapshot(letter.id, number) : undefined
    if (!snapshot) throw notFound('revision')
    return JSON.parse(snapshot) as LetterModel
  }

  /** The letter as it stands in its tables, read inside the caller's transaction (the review and issue actions). */
  async modelOf(db: Db, letter: Letter, elv: ElvView): Promise<LetterModel> {
    const repo = letterRepository(db)
    const sections = await repo.sections(letter.id)
    const paragraphs = await repo.paragraphs(letter.id)
    const authority = await letterSources(db).authority(elv.authority_code)
    const letterhead = await readLetterhead(db)
    const bySection = new Map<number, LetterParagraph[]>()
    for (const p of paragraphs) bySection.set(p.section_id, [...(bySection.get(p.section_id) ?? []), p])
    const names: Bilingual = { en: elv.authority_name_en, cy: elv.authority_name_cy }
    return {
      id: letter.id,
      elvId: letter.elv_id,
      state: letter.state,
      version: letter.version,
      date: letter.letter_date ?? this.today(),
      authority: names,
      director: { name: authority?.director_name ?? '', email: authority?.director_email ?? null },
      letterhead,
      title: letterTitle(this.words(), names),
      sections: sections.map((s) => sectionModel(s, bySection.get(s.id) ?? [])),
    }
  }

  /** What the letter is built from, as it stands now: secure findings only. */
  private async facts(elv: ElvView, db: Db): Promise<LetterFacts> {
    const src = letterSources(db)
    const authority = await src.authority(elv.authority_code)
    const term = await src.term(elv.term_key)
    const team = await src.team(elv.id)
    const { focusAreas, secure } = await this.secureFindings(elv, db)
    return {
      authority: { en: elv.authority_name_en, cy: elv.authority_name_cy },
      directorName: authority?.director_name?.trim() || null,
      visitDays: elv.visit_day1 && elv.visit_day2 ? { day1: elv.visit_day1, day2: elv.visit_day2 } : null,
      term: term ? { season: term.season, academicYear: term.academic_year } : null,
      team: team.map((m) => ({ name: m.name, role: m.role, lead: m.is_lead === 1 })),
      focusAreas: focusAreas.map((fa) => ({
        id: fa.id, title: fa.title,
        findings: Object.fromEntries(FINDING_KINDS.map((k) => [k, secure.filter((f) => f.focus_area_id === fa.id && f.kind === k).map((f) => ({ id: f.id, text: f.text }))])) as LetterFacts['focusAreas'][number]['findings'],
      })),
    }
  }

  /** The live focus areas and the findings on them that meet the triangulation threshold now. */
  private async secureFindings(elv: ElvView, db: Db) {
    const src = letterSources(db)
    const focusAreas = await src.liveFocusAreas(elv.id)
    const candidates = await src.findings(elv.id)
    const evidence = await findingLinks(db).evidence(candidates.map((f) => f.id))
    const threshold = await this.findings.threshold(db)
    const secure = candidates.filter((f) => triangulate(evidence.get(f.id) ?? [], threshold).secure)
    return { focusAreas, secure }
  }

  private async missingFindings(db: Db, elv: ElvView, model: LetterModel): Promise<LetterPage['missingFindings']> {
    const used = new Set(model.sections.flatMap((s) => s.paragraphs.flatMap((p) => p.findingIds)))
    const { focusAreas, secure } = await this.secureFindings(elv, db)
    const title = new Map(focusAreas.map((f) => [f.id, f.title]))
    return secure.filter((f) => !used.has(f.id))
      .sort((a, b) => focusAreas.findIndex((x) => x.id === a.focus_area_id) - focusAreas.findIndex((x) => x.id === b.focus_area_id)
        || FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind) || a.id - b.id)
      .map((f) => ({ id: f.id, focusAreaTitle: title.get(f.focus_area_id) ?? '', kind: f.kind, text: f.text }))
  }

  // ---- build --------------------------------------------------------------------------------

  /**
   * Builds the letter from the visit's record, or rebuilds it (a draft only). A rebuild keeps
   * sections an inspector has edited unless `keepEdited` is false, builds every other section
   * again from the current findings, and removes sections of focus areas since withdrawn.
   */
  async build(actor: Actor, elvId: number, input: { keepEdited?: unknown; version?: unknown } = {}): Promise<{ letter: LetterModel; created: boolean }> {
    const check = new Check()
    const keepEdited = parseFlag(input.keepEdited)
    if (keepEdited === 'invalid') check.add('keepEdited', 'validation.choice', { field: 'letters.field.keepEdited' })
    const version = input.version === undefined || input.version === null || input.version === ''
      ? null : check.integer('version', 'letters.field.version', input.version, { min: 1 })
    check.done()
    const keep = keepEdited === 'invalid' ? true : keepEdited ?? true

    return this.database.db.transaction().execute(async (trx) => {
      const { elv, letter } = await this.writable(actor, elvId, trx)
      if (letter && letter.state !== 'draft') {
        throw letterRule('letters.rule.rebuildOnlyDraft', 'The letter can be rebuilt from the findings only while it is a draft.', { state: `@letters.state.${letter.state}` })
      }
      if (letter && version !== null && version !== letter.version) throw staleLetter()
      const now = this.clock.nowIso()
      const plan = planLetter(await this.facts(elv, trx), this.words())
      const row = letter ? await letterWrites(trx).bump(letter.id, letter.version, now) : await letterWrites(trx).insertLetter(elvId, now)
      if (!row) throw staleLetter()
      const outcome = await this.applyPlan(trx, row.id, plan, keep, now)
      const model = await this.modelOf(trx, row, elv)
      await this.keepRevision(trx, actor, model, letter ? 'rebuild' : 'build')
      await this.audit.record(trx, actor, letter ? 'letter.rebuild' : 'letter.build', { type: 'elv', id: elvId }, {
        letterId: row.id, version: row.version, keepEdited: keep, ...outcome,
        findingIds: model.sections.flatMap((s) => s.paragraphs.flatMap((p) => p.findingIds)),
      })
      return { letter: model, created: !letter }
    })
  }

  private async applyPlan(trx: Db, letterId: number, plan: readonly SectionDraft[], keepEdited: boolean, now: string) {
    const existing = await letterRepository(trx).sections(letterId)
    const byKey = new Map(existing.map((s) => [s.key, s]))
    const planned = new Set(plan.map((s) => s.key))
    const removed = existing.filter((s) => !planned.has(s.key))
    const writes = letterWrites(trx)
    await writes.deleteSections(removed.map((s) => s.id))
    const kept: string[] = []
    for (const [position, draft] of plan.entries()) {
      const was = byKey.get(draft.key)
      if (was && was.edited === 1 && keepEdited) {
        kept.push(draft.key)
        await writes.setPosition(was.id, position)
        continue
      }
      // Findings are the inspectors' English: the Welsh is still to be written, so English is the original.
      const values: SectionValues = {
        position, key: draft.key, focusAreaId: draft.focusAreaId, heading: draft.heading, edited: 0,
        enRevisedAt: draft.written === 'en' ? now : null, cyRevisedAt: null, translationCurrent: draft.written === 'both' ? 1 : 0,
      }
      const id = was ? (await writes.updateSection(was.id, values), was.id) : await writes.insertSection(letterId, values)
      await writes.replaceParagraphs(id, draft.paragraphs.map((p) => ({ style: p.style, en: p.text.en, cy: p.text.cy, findingIds: p.findingIds, fixed: p.fixed ? 1 : 0 })))
    }
    return { kept, removed: removed.map((s) => s.key) }
  }

  private async keepRevision(trx: Db, actor: Actor, model: LetterModel, note: string): Promise<void> {
    await letterWrites(trx).insertRevision({
      letterId: model.id, number: model.version, state: model.state, snapshot: JSON.stringify(model), note, createdBy: this.userId(actor),
    }, this.clock.nowIso())
  }

  // ---- edits --------------------------------------------------------------------------------

  /** Saves one section (the section edit page). */
  async updateSection(actor: Actor, elvId: number, key: string, input: SectionInput & { version?: unknown }): Promise<LetterModel> {
    return this.save(actor, elvId, input.version, [{ ...input, key }], () => '')
  }

  /** Saves one or more sections at once (the API): one new version, one revision. */
  async update(actor: Actor, elvId: number, input: { version?: unknown; sections?: unknown }): Promise<LetterModel> {
    const sections = Array.isArray(input.sections) ? input.sections as Array<SectionInput & { key?: unknown }> : null
    if (!sections?.length) {
      const check = new Check()
      check.add('sections', 'letters.rule.noSections')
      check.integer('version', 'letters.field.version', input.version, { min: 1 })
      check.done()
    }
    return this.save(actor, elvId, input.version, sections!, (i) => `sections.${i}.`)
  }

  private async save(actor: Actor, elvId: number, rawVersion: unknown, inputs: ReadonlyArray<SectionInput & { key?: unknown }>, prefixOf: (i: number) => string): Promise<LetterModel> {
    const check = new Check()
    const version = check.integer('version', 'letters.field.version', rawVersion, { min: 1 })
    const edits = inputs.map((input, i) => parseEdit(check, prefixOf(i), input))
    const seen = new Set<string>()
    for (const e of edits) {
      if (e.key && seen.has(e.key)) check.add(`${e.prefix}key`, 'letters.rule.duplicateSection', { key: e.key })
      seen.add(e.key)
    }
    // Without a version nothing can be compared; otherwise every problem is listed together, after those found against the letter.
    if (version === null) check.done()

    return this.database.db.transaction().execute(async (trx) => {
      const { elv, letter } = await this.writable(actor, elvId, trx)
      if (!letter) throw letterRule('letters.rule.noLetter', 'There is no letter for this visit yet: build it first.')
      if (version !== letter.version) throw staleLetter()
      const repo = letterRepository(trx)
      const sections = await repo.sections(letter.id)
      const paragraphs = await repo.paragraphs(letter.id)
      const sectionByKey = new Map(sections.map((s) => [s.key, s]))

      // Every problem with what was sent, against the letter as it is, before anything is written.
      const resolved = edits.map((e) => {
        const section = sectionByKey.get(e.key)
        if (!section) {
          if (e.key) check.add(`${e.prefix}key`, 'letters.rule.unknownSection', { key: e.key })
          return null
        }
        return { edit: e, section, next: resolveSection(check, e, section, paragraphs.filter((p) => p.section_id === section.id)) }
      })
      const cited = [...new Set(resolved.flatMap((r) => r?.next.paragraphs.flatMap((p) => p.findingIds) ?? []))]
      const ours = await letterSources(trx).findingIdsOfElv(elvId, cited)
      for (const r of resolved) {
        r?.next.paragraphs.forEach((p) => {
          for (const id of p.findingIds) if (!ours.has(id)) check.add(`${r.edit.prefix}paragraphs.${p.index}.findingIds`, 'letters.rule.findingNotOfVisit', { id })
        })
      }
      check.done()

      const now = this.clock.nowIso()
      const to = stateAfterEdit(letter.state)!
      const row = await letterWrites(trx).bump(letter.id, letter.version, now, to === letter.state ? undefined : to)
      if (!row) throw staleLetter()
      const changes: Array<{ key: string; changed: string[]; translationCurrent: boolean }> = []
      for (const r of resolved) {
        const { edit, section, next } = r!
        const before = textsOf(section, paragraphs.filter((p) => p.section_id === section.id))
        const after: SectionTexts = { heading: next.heading, paragraphs: next.paragraphs.map((p) => ({ id: p.id, text: { en: p.en, cy: p.cy } })) }
        const changed = changedLanguages(before, after)
        const translation = translationAfterEdit(
          { enRevisedAt: section.en_revised_at, cyRevisedAt: section.cy_revised_at, current: section.translation_current === 1 },
          changed, edit.translationCurrent, untranslated(after).length, now,
        )
        await letterWrites(trx).updateSection(section.id, {
          position: section.position, key: section.key, focusAreaId: section.focus_area_id, heading: next.heading,
          edited: next.contentChanged ? 1 : section.edited,
          enRevisedAt: translation.enRevisedAt, cyRevisedAt: translation.cyRevisedAt, translationCurrent: translation.current ? 1 : 0,
        })
        await letterWrites(trx).saveParagraphs(section.id, next.paragraphs)
        changes.push({ key: section.key, changed: (['en', 'cy'] as const).filter((l) => changed[l]), translationCurrent: translation.current })
      }
      const model = await this.modelOf(trx, row, elv)
      await this.keepRevision(trx, actor, model, 'edit')
      await this.audit.record(trx, actor, 'letter.edit', { type: 'elv', id: elvId }, {
        letterId: letter.id, version: row.version, sections: changes, ...(row.state !== letter.state ? { state: { from: letter.state, to: row.state } } : {}),
      })
      return model
    })
  }
}

// ---- shaping ---------------------------------------------------------------------------------

function sectionModel(s: LetterSection, paragraphs: readonly LetterParagraph[]): LetterSectionModel {
  const parts = parseSectionKey(s.key)
  return {
    id: s.id,
    key: s.key,
    position: s.position,
    focusAreaId: s.focus_area_id,
    level: parts.level,
    findingKind: parts.findingKind,
    heading: { en: s.heading_en, cy: s.heading_cy },
    edited: s.edited === 1,
    translation: { original: originalLanguage(s.en_revised_at, s.cy_revised_at), current: s.translation_current === 1 },
    paragraphs: paragraphs.map((p) => paragraphModel(p, parts.findingKind)),
  }
}

function paragraphModel(p: LetterParagraph, findingKind: FindingKind | null): LetterParagraphModel {
  return {
    id: p.id, style: p.style, text: { en: p.text_en, cy: p.text_cy }, findingIds: findingIdsOf(p.finding_ids), fixed: p.fixed === 1,
    ...(findingKind ? { findingKind } : {}),
  }
}

function findingIdsOf(json: string): number[] {
  try {
    const v: unknown = JSON.parse(json)
    return Array.isArray(v) ? v.filter((x): x is number => Number.isInteger(x)) : []
  } catch {
    return []
  }
}

function textsOf(section: LetterSection, paragraphs: readonly LetterParagraph[]): SectionTexts {
  return {
    heading: { en: section.heading_en, cy: section.heading_cy },
    paragraphs: paragraphs.map((p) => ({ id: p.id, text: { en: p.text_en, cy: p.text_cy } })),
  }
}

// ---- reading what was sent -------------------------------------------------------------------

/** true, false, undefined (not said), or 'invalid'. Forms send 'true'/'false' or a checkbox's value. */
function parseFlag(value: unknown): boolean | undefined | 'invalid' {
  if (value === undefined || value === null || value === '') return undefined
  if (value === true || value === 'true' || value === 'yes' || value === 'on' || value === '1' || value === 1) return true
  if (value === false || value === 'false' || value === 'no' || value === 'off' || value === '0' || value === 0) return false
  return 'invalid'
}

const langParams = (lang: 'en' | 'cy', extra: Record<string, string | number> = {}) =>
  ({ language: `@letters.lang.${lang}`, inLanguage: `@letters.langIn.${lang}`, ...extra })

function parseEdit(check: Check, prefix: string, input: SectionInput & { key?: unknown }): ParsedEdit {
  const key = typeof input.key === 'string' ? input.key : ''
  if (!key) check.add(`${prefix}key`, 'letters.rule.unknownSection', { key: String(input.key ?? '').slice(0, 60) })

  let heading: Partial<Bilingual> | undefined
  if (input.heading !== undefined && input.heading !== null) {
    heading = {}
    const h = typeof input.heading === 'object' && !Array.isArray(input.heading) ? input.heading as Record<string, unknown> : null
    for (const lang of ['cy', 'en'] as const) {
      const path = `${prefix}heading.${lang}`
      if (!h) { check.add(path, 'letters.rule.headingNotText', langParams(lang)); continue }
      if (h[lang] === undefined) continue
      const cleaned = cleanText(h[lang])
      if ('problem' in cleaned) check.add(path, cleaned.problem === 'control' ? 'letters.rule.headingControl' : 'letters.rule.headingNotText', langParams(lang))
      else if (cleaned.text.length > MAX_HEADING) check.add(path, 'letters.rule.headingTooLong', langParams(lang, { max: MAX_HEADING }))
      else heading[lang] = cleaned.text
    }
  }

  let paragraphs: ParsedParagraph[] | undefined
  if (input.paragraphs !== undefined && input.paragraphs !== null) {
    const list = Array.isArray(input.paragraphs) ? input.paragraphs as unknown[] : null
    if (!list) check.add(`${prefix}paragraphs`, 'letters.rule.paragraphsList')
    paragraphs = (list ?? []).map((raw, i) => parseParagraph(check, `${prefix}paragraphs.${i}.`, i + 1, raw))
  }

  const translationCurrent = parseFlag(input.translationCurrent)
  if (translationCurrent === 'invalid') check.add(`${prefix}translationCurrent`, 'letters.rule.translationCurrent')
  return { prefix, key, heading, paragraphs, translationCurrent: translationCurrent === 'invalid' ? undefined : translationCurrent }
}

function parseParagraph(check: Check, path: string, n: number, raw: unknown): ParsedParagraph {
  const p = raw && typeof raw === 'object' && !Array.isArray(raw) ? raw as ParagraphInput : {}
  let id: number | null = null
  if (p.id !== undefined && p.id !== null && p.id !== '') {
    const v = typeof p.id === 'number' ? p.id : typeof p.id === 'string' ? Number(p.id) : NaN
    if (Number.isInteger(v) && v > 0) id = v
    else check.add(`${path}id`, 'letters.rule.unknownParagraph', { n })
  }
  let style: ParagraphStyle | undefined
  if (p.style !== undefined && p.style !== null && p.style !== '') {
    if (typeof p.style === 'string' && (PARAGRAPH_STYLES as readonly string[]).includes(p.style)) style = p.style as ParagraphStyle
    else check.add(`${path}style`, 'letters.rule.style', { n })
  }
  const text = { en: undefined as string | undefined, cy: undefined as string | undefined }
  for (const lang of ['cy', 'en'] as const) {
    if (p[lang] === undefined) continue
    const cleaned = cleanText(p[lang])
    if ('problem' in cleaned) check.add(`${path}${lang}`, cleaned.problem === 'control' ? 'letters.rule.control' : 'letters.rule.notText', langParams(lang, { n }))
    else if (cleaned.text.length > MAX_PARAGRAPH) check.add(`${path}${lang}`, 'letters.rule.tooLong', langParams(lang, { n, max: MAX_PARAGRAPH }))
    else text[lang] = cleaned.text
  }
  let findingIds: number[] | undefined
  if (p.findingIds !== undefined && p.findingIds !== null) {
    const ids = Array.isArray(p.findingIds) ? p.findingIds.map((x) => (typeof x === 'string' && x.trim() !== '' ? Number(x) : x)) : null
    if (ids && ids.every((x): x is number => typeof x === 'number' && Number.isInteger(x) && x > 0)) findingIds = [...new Set(ids)]
    else check.add(`${path}findingIds`, 'letters.rule.findingIds', { n })
  }
  return { id, style, en: text.en, cy: text.cy, findingIds }
}

interface NextParagraph extends ParagraphValues { id: number | null; index: number }

/**
 * The section as it will be saved: what was sent laid over what is there. Paragraphs empty in both
 * languages are dropped (a blank row of the form, or a paragraph cleared on purpose).
 */
function resolveSection(check: Check, edit: ParsedEdit, section: LetterSection, existing: readonly LetterParagraph[]) {
  const heading: Bilingual = { en: edit.heading?.en ?? section.heading_en, cy: edit.heading?.cy ?? section.heading_cy }
  const byId = new Map(existing.map((p) => [p.id, p]))
  const used = new Set<number>()
  let paragraphs: NextParagraph[]
  if (edit.paragraphs === undefined) {
    paragraphs = existing.map((p, index) => ({
      id: p.id, index, style: p.style, en: p.text_en, cy: p.text_cy, findingIds: findingIdsOf(p.finding_ids), fixed: p.fixed,
    }))
  } else {
    paragraphs = []
    edit.paragraphs.forEach((p, index) => {
      const was = p.id === null ? undefined : byId.get(p.id)
      if (p.id !== null && !was) { check.add(`${edit.prefix}paragraphs.${index}.id`, 'letters.rule.unknownParagraph', { n: index + 1 }); return }
      if (p.id !== null && used.has(p.id)) { check.add(`${edit.prefix}paragraphs.${index}.id`, 'letters.rule.duplicateParagraph', { n: index + 1 }); return }
      if (p.id !== null) used.add(p.id)
      const en = p.en ?? was?.text_en ?? ''
      const cy = p.cy ?? was?.text_cy ?? ''
      if (!en && !cy) return
      // Template wording stays template wording only while nobody changes it.
      const fixed: Flag = was && was.fixed === 1 && was.text_en === en && was.text_cy === cy ? 1 : 0
      paragraphs.push({
        id: was?.id ?? null, index, style: p.style ?? was?.style ?? 'text', en, cy,
        findingIds: p.findingIds ?? (was ? findingIdsOf(was.finding_ids) : []), fixed,
      })
    })
    if (paragraphs.length > MAX_PARAGRAPHS) check.add(`${edit.prefix}paragraphs`, 'letters.rule.tooMany', { max: MAX_PARAGRAPHS })
  }

  if (edit.translationCurrent === true) {
    for (const gap of untranslated({ heading, paragraphs: paragraphs.map((p) => ({ id: p.id, text: { en: p.en, cy: p.cy } })) })) {
      if (gap.paragraph === null) check.add(`${edit.prefix}heading.${gap.missing}`, 'letters.rule.headingTranslationMissing', langParams(gap.missing))
      else {
        const p = paragraphs[gap.paragraph]!
        check.add(`${edit.prefix}paragraphs.${p.index}.${gap.missing}`, 'letters.rule.translationMissing', langParams(gap.missing, { n: p.index + 1 }))
      }
    }
  }

  const structure = (ps: ReadonlyArray<{ id: number | null; style: string; findingIds: readonly number[] }>) => JSON.stringify(ps.map((p) => [p.id, p.style, p.findingIds]))
  const contentChanged = heading.en !== section.heading_en || heading.cy !== section.heading_cy
    || structure(paragraphs) !== structure(existing.map((p) => ({ id: p.id, style: p.style, findingIds: findingIdsOf(p.finding_ids) })))
    || paragraphs.some((p) => { const was = p.id === null ? undefined : byId.get(p.id); return !was || was.text_en !== p.en || was.text_cy !== p.cy })
  return { heading, paragraphs, contentChanged }
}
