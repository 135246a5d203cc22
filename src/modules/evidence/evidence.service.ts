import type { Database, Db } from '../../db/database.ts'
import { EVIDENCE_KINDS, type Evidence, type EvidenceKind, type EvidenceOrigin, type ElvState } from '../../db/schema.ts'
import type { Clock } from '../../clock.ts'
import { Check } from '../../http/check.ts'
import { pageCountOf, type Page } from '../../http/pagination.ts'
import { AppError, forbidden, notFound, versionConflict } from '../../http/errors.ts'
import type { Actor } from '../auth/actor.ts'
import type { AuditService } from '../audit/audit.service.ts'
import type { VisitsService, ElvView } from '../visits/visits.service.ts'
import type { ThemesService, ThemeView } from '../themes/themes.service.ts'
import { searchIndexWrites } from '../search/search.index.ts'
import { indexedWords } from '../search/search.text.ts'
import type { Attachments, PreparedFile, Upload } from './attachments.ts'
import { evidenceChoices, evidenceLinks, evidenceRepository, evidenceWrites, type EvidenceFileView, type EvidenceFilter, type EvidenceRow, type EvidenceValues } from './evidence.repository.ts'

/** Once the letter is issued (or the visit cancelled) the record of what was found is fixed. */
export const EVIDENCE_CLOSED_STATES: readonly ElvState[] = ['issued', 'closed', 'cancelled']
export const isEvidenceOpen = (state: ElvState) => !EVIDENCE_CLOSED_STATES.includes(state)

export const MAX_BODY = 100_000
/** Items on one page of the log: 460 on one page made 1.15 MB of HTML. */
export const EVIDENCE_PAGE_SIZE = 50

export interface EvidenceInput {
  kind?: unknown
  title?: unknown
  body?: unknown
  source?: unknown
  meetingId?: unknown
  gatheredOn?: unknown
  focusAreaIds?: unknown
  themes?: unknown
  version?: unknown
  /** Made by the recording page for a new item; saving again with the same key changes that item. */
  draftKey?: unknown
}

const DRAFT_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** A well-formed draft key, or null: anything else is ignored and the item is simply new. */
function draftKeyOf(value: unknown): string | null {
  return typeof value === 'string' && DRAFT_KEY.test(value) ? value : null
}

export interface EvidenceView extends EvidenceRow {
  focusAreaIds: number[]
  themes: ThemeView[]
  files: EvidenceFileView[]
}

export const staleEvidence = () => versionConflict('Someone else saved this evidence after you opened it. Nothing of yours was lost: compare the two versions and save again.')

const closedVisit = () => new AppError('rule_violation', 'The letter for this visit has been issued (or the visit cancelled), so its evidence can no longer change.', [
  { path: 'state', messageKey: 'evidence.rule.closed' },
])

/** What the evidence pages of one ELV need besides the items themselves. */
export interface EvidenceWorkspace {
  elv: ElvView
  canRecord: boolean
  open: boolean
  /** Every focus area of the ELV; `live` ones may be chosen for new tags. */
  focusAreas: Array<{ id: number; title: string; live: boolean }>
  meetings: Array<{ id: number; day: number; start: string; title: string }>
  themes: ThemeView[]
}

/** A link note or provider to bring in: `{ linkNoteId }` or `{ providerId }`. */
export interface BringInInput {
  linkNoteId?: unknown
  providerId?: unknown
}

/** Link notes are the inspectorate's own intelligence: peer inspectors and authority users never read them. */
const readsLinkNotes = (actor: Actor) => actor.kind === 'system' || ['admin', 'reviewer', 'hmi'].includes(actor.role)

/** Form values arrive as one string or several; the API sends arrays. */
const asList = (v: unknown): unknown[] => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v])

/** The evidence log of each ELV: what the team gathered, by whom, from where, and bearing on what. */
export class EvidenceService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly visits: VisitsService,
    private readonly themes: ThemesService,
    readonly attachments: Attachments,
  ) {}

  private today(): string { return this.clock.nowIso().slice(0, 10) }
  private userId(actor: Actor): number | null { return actor.kind === 'user' ? actor.id : null }
  private isAuthority(actor: Actor): boolean { return actor.kind === 'user' && actor.role === 'la' }

  /** May the actor add to this ELV's evidence? The team and link inspector; the authority its own documents. */
  async canRecord(actor: Actor, elv: ElvView, db: Db = this.database.db): Promise<boolean> {
    if (!isEvidenceOpen(elv.state)) return false
    if (this.isAuthority(actor)) return true
    return this.visits.canWork(actor, elv, db)
  }

  private async requireRecord(actor: Actor, elvId: number, db: Db): Promise<ElvView> {
    const elv = await this.visits.get(actor, elvId, db)
    if (!isEvidenceOpen(elv.state)) throw closedVisit()
    if (!(await this.canRecord(actor, elv, db))) throw forbidden()
    return elv
  }

  /**
   * The ELV and the choices the evidence pages offer. These pages are the team's working record:
   * for authority users they do not exist (their own documents are listed on the Documents tab).
   */
  async workspace(actor: Actor, elvId: number): Promise<EvidenceWorkspace> {
    if (this.isAuthority(actor)) throw notFound('visit')
    const db = this.database.db
    const elv = await this.visits.get(actor, elvId, db)
    const choices = evidenceChoices(db)
    const [canRecord, focusAreas, meetings, themes] = await Promise.all([this.canRecord(actor, elv, db), choices.focusAreas(elvId), choices.meetings(elvId), this.themes.list(db)])
    return {
      elv, canRecord, open: isEvidenceOpen(elv.state), themes,
      focusAreas: focusAreas.map((f) => ({ id: f.id, title: f.title, live: f.withdrawn_at === null })),
      meetings: meetings.map((m) => ({ id: m.id, day: Number(m.day), start: m.start_time, title: m.title })),
    }
  }

  /** Which link notes and providers are already in this ELV's evidence (`link_note:7` -> item id). */
  async broughtIn(actor: Actor, elvId: number): Promise<Map<string, number>> {
    if (this.isAuthority(actor)) throw notFound('visit')
    await this.visits.get(actor, elvId)
    return evidenceChoices(this.database.db).broughtIn(elvId)
  }

  /** Where brought-in items came from, by `type:id`: the link note's title or the provider's name. */
  originLabels(items: ReadonlyArray<Pick<Evidence, 'origin_type' | 'origin_id'>>): Promise<Map<string, string>> {
    return evidenceLinks(this.database.db).originLabels(items)
  }

  async list(actor: Actor, elvId: number, filter: EvidenceFilter = {}): Promise<EvidenceView[]> {
    await this.visits.get(actor, elvId)
    return this.withLinks(await evidenceRepository(this.database.db, actor).listForElv(elvId, filter))
  }

  /**
   * One page of the log (`pageNumber` 1-based), counted and cut in SQL. A page past the end is
   * the last page, so an old link after items were filtered away still shows something.
   */
  async page(actor: Actor, elvId: number, filter: EvidenceFilter = {}, pageNumber = 1, pageSize = EVIDENCE_PAGE_SIZE): Promise<Page<EvidenceView>> {
    const at = (n: number) => this.slice(actor, elvId, filter, { limit: pageSize, offset: (n - 1) * pageSize })
    let page = Math.max(1, Math.floor(pageNumber))
    let { items, total } = await at(page)
    if (page > pageCountOf(total, pageSize)) ({ items, total } = await at(page = pageCountOf(total, pageSize)))
    return { items, page, pageSize, pageCount: pageCountOf(total, pageSize), total }
  }

  /** `limit` items of the log from `offset`, and how many match in all (the API's paging). */
  async slice(actor: Actor, elvId: number, filter: EvidenceFilter, range: { limit: number; offset: number }): Promise<{ items: EvidenceView[]; total: number }> {
    await this.visits.get(actor, elvId)
    const { rows, total } = await evidenceRepository(this.database.db, actor).pageForElv(elvId, filter, range)
    return { items: await this.withLinks(rows), total }
  }

  /** One item if the actor may see it; 404 otherwise. */
  async get(actor: Actor, id: number, db: Db = this.database.db): Promise<EvidenceView> {
    const row = await evidenceRepository(db, actor).get(id)
    if (!row) throw notFound('evidence')
    return (await this.withLinks([row], db))[0]!
  }

  /** Items by id as the actor may see them, in the order given (search results, a finding's evidence). */
  async getMany(actor: Actor, ids: readonly number[], db: Db = this.database.db): Promise<EvidenceView[]> {
    if (!ids.length) return []
    const rows = await evidenceRepository(db, actor).detailed().where('e.id', 'in', ids).execute()
    const byId = new Map((await this.withLinks(rows, db)).map((v) => [v.id, v]))
    return ids.flatMap((id) => byId.get(id) ?? [])
  }

  private async withLinks(rows: EvidenceRow[], db: Db = this.database.db): Promise<EvidenceView[]> {
    const ids = rows.map((r) => r.id)
    const links = evidenceLinks(db)
    const [fas, themeIds, files, themes] = await Promise.all([links.focusAreaIds(ids), links.themeIds(ids), links.files(ids), this.themes.listAll(db)])
    const themeById = new Map(themes.map((t) => [t.id, t]))
    return rows.map((r) => ({
      ...r,
      focusAreaIds: fas.get(r.id) ?? [],
      themes: (themeIds.get(r.id) ?? []).flatMap((t) => themeById.get(t) ?? []),
      files: files.get(r.id) ?? [],
    }))
  }

  /** Checks an item's fields against its ELV; every problem at once. `defaults` fill what a file upload implies. */
  private async validate(actor: Actor, elv: ElvView, input: EvidenceInput, db: Db, defaults: { title?: string; source?: string } = {}, tagged: readonly number[] = []) {
    const check = new Check()
    const kind = this.isAuthority(actor)
      ? (input.kind === undefined || input.kind === '' || input.kind === 'authority_document' ? 'authority_document' : (check.add('kind', 'evidence.rule.authorityKind'), null))
      : check.oneOf<EvidenceKind>('kind', 'evidence.field.kind', input.kind, EVIDENCE_KINDS)
    const title = check.text('title', 'evidence.field.title', input.title === undefined || input.title === '' ? defaults.title : input.title, { max: 200 })
    const body = typeof input.body === 'string' ? input.body.replace(/\r\n/g, '\n') : input.body === undefined || input.body === null ? '' : (check.add('body', 'validation.notText', { field: 'evidence.field.body' }), '')
    if (body.length > MAX_BODY) check.add('body', 'validation.tooLong', { field: 'evidence.field.body', max: MAX_BODY })
    const source = check.text('source', 'evidence.field.source', input.source === undefined || input.source === '' ? defaults.source : input.source, { max: 200 })
    const gatheredOn = input.gatheredOn === undefined || input.gatheredOn === '' ? this.today() : check.date('gatheredOn', 'evidence.field.gatheredOn', input.gatheredOn)
    if (gatheredOn && gatheredOn > this.today()) check.add('gatheredOn', 'evidence.rule.future')
    const meetingId = input.meetingId === undefined || input.meetingId === '' || input.meetingId === null ? null : check.integer('meetingId', 'evidence.field.meeting', input.meetingId, { min: 1 })
    const focusAreaIds = [...new Set(asList(input.focusAreaIds).map((v) => check.integer('focusAreaIds', 'evidence.field.focusAreas', v, { min: 1 })).filter((v): v is number => v !== null))]
    const themes = await this.themes.resolve(check, 'themes', input.themes, db)
    if (meetingId !== null) {
      const meeting = await db.selectFrom('meeting').select('id').where('id', '=', meetingId).where('elv_id', '=', elv.id).executeTakeFirst()
      if (!meeting) check.add('meetingId', 'evidence.rule.meetingNotOfVisit')
    }
    if (focusAreaIds.length) {
      const live = await db.selectFrom('focus_area').select('id').where('elv_id', '=', elv.id).where('withdrawn_at', 'is', null).where('id', 'in', focusAreaIds).execute()
      // A focus area withdrawn after the item was tagged keeps its tag: an edit of the text must not fail for it.
      const known = new Set([...live.map((f) => f.id), ...tagged])
      for (const id of focusAreaIds) if (!known.has(id)) check.add('focusAreaIds', 'evidence.rule.focusAreaNotOfVisit', { id })
    }
    check.done()
    const values: EvidenceValues = { kind: kind!, title: title!, body, source: source!, meetingId, gatheredOn: gatheredOn! }
    return { values, focusAreaIds, themeIds: themes.map((t) => t.id) }
  }

  /**
   * Records an item, with any files. Files are checked and stored first; if the record is then
   * refused, they are removed again, so a failed upload leaves nothing behind.
   */
  async create(actor: Actor, elvId: number, input: EvidenceInput, uploads: readonly Upload[] = []): Promise<EvidenceView> {
    const prepared: PreparedFile[] = []
    try {
      // Look before storing anything: a caller who may not record here learns nothing from a file's fate.
      await this.requireRecord(actor, elvId, this.database.db)
      for (const u of uploads) prepared.push(await this.attachments.prepare(u))
      const first = prepared[0]
      const draftKey = draftKeyOf(input.draftKey)
      return await this.database.db.transaction().execute(async (trx) => {
        const elv = await this.requireRecord(actor, elvId, trx)
        // The same new item saved again (its first reply was lost, or the button pressed twice): this is its latest text.
        const already = draftKey && !prepared.length ? await evidenceWrites(trx).byDraftKey(elvId, draftKey) : undefined
        if (already) {
          if (already.recorded_by !== this.userId(actor)) throw staleEvidence()
          return this.updateIn(trx, actor, already.id, input, already.version)
        }
        const { values, focusAreaIds, themeIds } = await this.validate(actor, elv, input, trx, { title: first?.fileName, source: first?.fileName })
        const now = this.clock.nowIso()
        const row = await evidenceWrites(trx).insert(elvId, values, { userId: this.userId(actor), fromAuthority: this.isAuthority(actor), draftKey }, now)
        await this.saveLinks(trx, row, focusAreaIds, themeIds, prepared, actor, now)
        await this.audit.record(trx, actor, 'evidence.create', { type: 'elv', id: elvId }, { id: row.id, kind: values.kind, title: values.title, files: prepared.map((f) => f.fileName) })
        return this.get(actor, row.id, trx)
      })
    } catch (e) {
      await Promise.all(prepared.map((f) => this.attachments.discard(f)))
      throw e
    }
  }

  /** Saves an edit when `version` is current; a stale version is refused (409) and nothing is overwritten. */
  async update(actor: Actor, id: number, input: EvidenceInput): Promise<EvidenceView> {
    const check = new Check()
    const version = check.integer('version', 'evidence.field.version', input.version, { min: 1 })
    check.done()
    return this.database.db.transaction().execute((trx) => this.updateIn(trx, actor, id, input, version!))
  }

  private async updateIn(trx: Db, actor: Actor, id: number, input: EvidenceInput, version: number): Promise<EvidenceView> {
    const before = await this.get(actor, id, trx)
    const elv = await this.requireRecord(actor, before.elv_id, trx)
    // Authority users change only what their authority shared.
    if (this.isAuthority(actor) && !before.from_authority) throw forbidden()
    const merged: EvidenceInput = {
      kind: input.kind ?? before.kind, title: input.title ?? before.title, body: input.body ?? before.body, source: input.source ?? before.source,
      gatheredOn: input.gatheredOn ?? before.gathered_on, meetingId: input.meetingId === undefined ? before.meeting_id : input.meetingId,
      focusAreaIds: input.focusAreaIds === undefined ? before.focusAreaIds : input.focusAreaIds,
      themes: input.themes === undefined ? before.themes.map((t) => t.key) : input.themes,
    }
    const { values, focusAreaIds, themeIds } = await this.validate(actor, elv, merged, trx, {}, before.focusAreaIds)
    const now = this.clock.nowIso()
    const row = await evidenceWrites(trx).update(id, version, values, this.userId(actor), now)
    if (!row) throw staleEvidence()
    await this.saveLinks(trx, row, focusAreaIds, themeIds, [], actor, now)
    await this.audit.record(trx, actor, 'evidence.update', { type: 'elv', id: elv.id }, { id, version: row.version, title: values.title })
    return this.get(actor, id, trx)
  }

  /** Adds files to an item already recorded (its version goes up). */
  async attach(actor: Actor, id: number, uploads: readonly Upload[]): Promise<EvidenceView> {
    const prepared: PreparedFile[] = []
    try {
      const before = await this.get(actor, id)
      await this.requireRecord(actor, before.elv_id, this.database.db)
      if (this.isAuthority(actor) && !before.from_authority) throw forbidden()
      for (const u of uploads) prepared.push(await this.attachments.prepare(u))
      return await this.database.db.transaction().execute(async (trx) => {
        const item = await this.get(actor, id, trx)
        await this.requireRecord(actor, item.elv_id, trx)
        const now = this.clock.nowIso()
        await evidenceWrites(trx).addFiles(id, prepared, this.userId(actor), now)
        await evidenceWrites(trx).bump(id, this.userId(actor), now)
        await this.reindex(trx, item)
        await this.audit.record(trx, actor, 'evidence.attach', { type: 'elv', id: item.elv_id }, { id, files: prepared.map((f) => f.fileName) })
        return this.get(actor, id, trx)
      })
    } catch (e) {
      await Promise.all(prepared.map((f) => this.attachments.discard(f)))
      throw e
    }
  }

  /** The stored file of an item the actor may see, for download. */
  async file(actor: Actor, evidenceId: number, fileId: number) {
    const item = await this.get(actor, evidenceId)
    const file = item.files.find((f) => f.id === fileId)
    if (!file) throw notFound('file')
    return { file, stream: await this.attachments.open(file.storage_key) }
  }

  /**
   * Brings a link note or provider inspection into an ELV's evidence with one action, keeping the
   * link to where it came from. Bringing the same one in twice gives the item already there.
   */
  async bringIn(actor: Actor, elvId: number, origin: { type: EvidenceOrigin; id: number }): Promise<EvidenceView> {
    return (await this.bringInOnce(actor, elvId, origin)).item
  }

  /** `bringIn` from a form or API body, checked; `created` is false when it was already in. */
  async bringInFrom(actor: Actor, elvId: number, input: BringInInput): Promise<{ item: EvidenceView; created: boolean }> {
    const check = new Check()
    const given = (v: unknown) => v !== undefined && v !== null && v !== ''
    const both = given(input.linkNoteId) && given(input.providerId)
    if (both || (!given(input.linkNoteId) && !given(input.providerId))) check.add('linkNoteId', 'evidence.rule.bringInOne')
    const id = both ? null : given(input.linkNoteId) ? check.integer('linkNoteId', 'evidence.field.linkNote', input.linkNoteId, { min: 1 })
      : given(input.providerId) ? check.integer('providerId', 'evidence.field.provider', input.providerId, { min: 1 }) : null
    check.done()
    return this.bringInOnce(actor, elvId, { type: given(input.linkNoteId) ? 'link_note' : 'provider', id: id! })
  }

  private async bringInOnce(actor: Actor, elvId: number, origin: { type: EvidenceOrigin; id: number }): Promise<{ item: EvidenceView; created: boolean }> {
    try {
      return await this.bringInTransaction(actor, elvId, origin)
    } catch (e) {
      // Two clicks at once: the second insert meets the unique index on the origin; the first one's item is the answer.
      const existing = await evidenceWrites(this.database.db).originExists(elvId, origin.type, origin.id)
      if (existing && !(e instanceof AppError)) return { item: await this.get(actor, existing.id), created: false }
      throw e
    }
  }

  private async bringInTransaction(actor: Actor, elvId: number, origin: { type: EvidenceOrigin; id: number }): Promise<{ item: EvidenceView; created: boolean }> {
    return this.database.db.transaction().execute(async (trx) => {
      const elv = await this.requireRecord(actor, elvId, trx)
      if (this.isAuthority(actor)) throw forbidden()
      // Bringing a note in would show it to whoever may not read link notes: for them it does not exist.
      if (origin.type === 'link_note' && !readsLinkNotes(actor)) throw notFound('link note')
      const existing = await evidenceWrites(trx).originExists(elvId, origin.type, origin.id)
      if (existing) return { item: await this.get(actor, existing.id, trx), created: false }
      const input = origin.type === 'link_note' ? await this.fromLinkNote(trx, elv, origin.id) : await this.fromProvider(trx, elv, origin.id)
      const { values, focusAreaIds, themeIds } = await this.validate(actor, elv, input, trx)
      const now = this.clock.nowIso()
      const row = await evidenceWrites(trx).insert(elvId, values, { userId: this.userId(actor), fromAuthority: false, origin }, now)
      await this.saveLinks(trx, row, focusAreaIds, themeIds, [], actor, now)
      await this.audit.record(trx, actor, 'evidence.bring_in', { type: 'elv', id: elvId }, { id: row.id, origin })
      return { item: await this.get(actor, row.id, trx), created: true }
    })
  }

  private async fromLinkNote(db: Db, elv: ElvView, noteId: number): Promise<EvidenceInput> {
    const note = await db.selectFrom('link_note as n').innerJoin('app_user as u', 'u.id', 'n.author_id')
      .select(['n.title', 'n.body', 'n.noted_on', 'n.themes', 'u.name as author']).where('n.id', '=', noteId).where('n.authority_code', '=', elv.authority_code).executeTakeFirst()
    if (!note) throw notFound('link note')
    const themes = await this.themes.list(db)
    const keys = (JSON.parse(note.themes) as string[]).filter((k) => themes.some((t) => t.key === k))
    return { kind: 'link_intelligence', title: note.title, body: note.body, source: note.author, gatheredOn: note.noted_on, themes: keys }
  }

  private async fromProvider(db: Db, elv: ElvView, providerId: number): Promise<EvidenceInput> {
    const p = await db.selectFrom('provider').selectAll().where('id', '=', providerId).where('authority_code', '=', elv.authority_code).executeTakeFirst()
    if (!p) throw notFound('provider')
    const body = [p.summary, p.report_url].filter(Boolean).join('\n\n')
    return { kind: 'provider_inspection', title: p.name, body, source: p.name, gatheredOn: p.last_inspected_on ?? this.today() }
  }

  private async saveLinks(trx: Db, row: Evidence, focusAreaIds: number[], themeIds: number[], files: PreparedFile[], actor: Actor, now: string): Promise<void> {
    const w = evidenceWrites(trx)
    await w.setFocusAreas(row.id, focusAreaIds)
    await w.setThemes(row.id, themeIds)
    await w.addFiles(row.id, files, this.userId(actor), now)
    await this.reindex(trx, row)
  }

  /** Rewrites the item's search words from its title, text and every file's extracted text. */
  private async reindex(trx: Db, row: Pick<Evidence, 'id'>): Promise<void> {
    const current = await trx.selectFrom('evidence').select(['title', 'body']).where('id', '=', row.id).executeTakeFirstOrThrow()
    const texts = await evidenceLinks(trx).extractedTexts(row.id)
    await searchIndexWrites(trx, this.database.engine).put(row.id, indexedWords([current.title, current.body, ...texts]))
  }
}
