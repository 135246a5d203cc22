import type { Database, Db } from '../../db/database.ts'
import { LINK_NOTE_KINDS, type LinkNoteKind, type LocalAuthority } from '../../db/schema.ts'
import type { Clock } from '../../clock.ts'
import { Check } from '../../http/check.ts'
import { forbidden, notFound, versionConflict } from '../../http/errors.ts'
import type { Actor } from '../auth/actor.ts'
import type { AuditService } from '../audit/audit.service.ts'
import type { VisitsService } from '../visits/visits.service.ts'
import { referenceRepository } from '../reference/reference.repository.ts'
import { usersRepository } from '../users/users.repository.ts'
import type { ThemesService, ThemeView } from '../themes/themes.service.ts'
import { linkNoteRepository, type LinkNoteRow, type LinkNoteValues } from './link-notes.repository.ts'

/** The framework link notes and focus areas are tagged to. */
export const CURRENT_FRAMEWORK = 'lges-2024'

export interface LinkNoteView extends Omit<LinkNoteRow, 'themes'> {
  /** The managed themes the note is tagged with, as they are today (a merged theme's key gives the theme it became). */
  themes: ThemeView[]
  /** Words written before themes were managed that match no theme: shown as written, never lost silently. */
  otherThemes: string[]
}

export interface LinkNoteInput {
  notedOn?: unknown
  kind?: unknown
  title?: unknown
  body?: unknown
  frameworkAreaCode?: unknown
  /** Theme keys: one or several checkbox values from a form, or an array; a merged theme's key is accepted. */
  themes?: unknown
  version?: unknown
}

type CurrentTheme = (key: string) => ThemeView | undefined

function toView(row: LinkNoteRow, current: CurrentTheme): LinkNoteView {
  const stored = JSON.parse(row.themes) as unknown
  const words = Array.isArray(stored) ? stored.filter((k): k is string => typeof k === 'string') : []
  const themes = new Map<number, ThemeView>()
  const otherThemes: string[] = []
  for (const word of words) {
    const theme = current(word)
    if (theme) themes.set(theme.id, theme)
    else otherThemes.push(word)
  }
  return { ...row, themes: [...themes.values()], otherThemes }
}

/** Link notes: what the link inspector learns about an authority over time. */
export class LinkNotesService {
  constructor(
    readonly database: Database,
    readonly audit: AuditService,
    readonly clock: Clock,
    readonly visits: VisitsService,
    readonly themes: ThemesService,
  ) {}

  /** Inspectorate staff may read link notes; peer inspectors and authority users never see them. */
  canRead(actor: Actor): boolean {
    return actor.kind === 'system' || actor.role === 'admin' || actor.role === 'reviewer' || actor.role === 'hmi'
  }

  /** Notes are kept by the authority's link inspector and by administrators. */
  canKeep(actor: Actor, authority: Pick<LocalAuthority, 'link_inspector_id'>): boolean {
    if (actor.kind === 'system' || actor.role === 'admin') return true
    return actor.role === 'hmi' && authority.link_inspector_id === actor.id
  }

  /** The authority, if the actor may see its link notes; 404 otherwise, so nothing hints they exist. */
  async authority(actor: Actor, gss: string, db: Db = this.database.db): Promise<LocalAuthority> {
    if (!this.canRead(actor)) throw notFound('authority')
    const authority = await referenceRepository(db).getAuthority(gss)
    if (!authority) throw notFound('authority')
    return authority
  }

  /** What the authority's page shows: the authority, its link inspector, its notes and whether the actor may add one. */
  async page(actor: Actor, gss: string) {
    const authority = await this.authority(actor, gss)
    const db = this.database.db
    const [inspector, notes, current] = await Promise.all([
      authority.link_inspector_id == null ? undefined : usersRepository(db).byId(authority.link_inspector_id),
      linkNoteRepository(db).list(gss),
      this.themes.current(db),
    ])
    return { authority, linkInspectorName: inspector?.name ?? null, notes: notes.map((n) => toView(n, current)), canKeep: this.canKeep(actor, authority) }
  }

  async list(actor: Actor, gss: string): Promise<LinkNoteView[]> {
    await this.authority(actor, gss)
    const current = await this.themes.current()
    return (await linkNoteRepository(this.database.db).list(gss)).map((n) => toView(n, current))
  }

  async get(actor: Actor, gss: string, id: number): Promise<LinkNoteView> {
    await this.authority(actor, gss)
    const row = await linkNoteRepository(this.database.db).get(gss, id)
    if (!row) throw notFound('link note')
    return toView(row, await this.themes.current())
  }

  private async validate(input: LinkNoteInput, db: Db): Promise<LinkNoteValues> {
    const check = new Check()
    const notedOn = check.date('notedOn', 'linkNotes.field.notedOn', input.notedOn)
    const kind = check.oneOf<LinkNoteKind>('kind', 'linkNotes.field.kind', input.kind, LINK_NOTE_KINDS)
    const title = check.text('title', 'linkNotes.field.title', input.title, { max: 150 })
    const body = check.text('body', 'linkNotes.field.body', input.body, { max: 5000 })
    const area = check.text('frameworkAreaCode', 'linkNotes.field.frameworkArea', input.frameworkAreaCode, { required: false, max: 20 })
    if (notedOn && notedOn > this.clock.nowIso().slice(0, 10)) check.add('notedOn', 'linkNotes.rule.future')
    if (area && !(await referenceRepository(db).listFrameworkAreas(CURRENT_FRAMEWORK)).some((a) => a.code === area)) {
      check.add('frameworkAreaCode', 'linkNotes.rule.unknownArea', { code: area })
    }
    const themes = await this.themes.resolve(check, 'themes', input.themes, db)
    check.done()
    // Keys, not labels: a label may be reworded, and a merge rewrites the keys it retires.
    return { notedOn: notedOn!, kind: kind!, title: title!, body: body!, frameworkAreaCode: area, themes: themes.map((t) => t.key) }
  }

  async create(actor: Actor, gss: string, input: LinkNoteInput): Promise<LinkNoteView> {
    return this.database.db.transaction().execute(async (trx) => {
      const authority = await this.authority(actor, gss, trx)
      if (!this.canKeep(actor, authority)) throw forbidden()
      const values = await this.validate(input, trx)
      // A note is always someone's: the system writes on behalf of the link inspector (demo data, imports).
      const authorId = actor.kind === 'user' ? actor.id : authority.link_inspector_id
      if (authorId == null) throw forbidden()
      const note = await linkNoteRepository(trx).insert(gss, authorId, values, this.clock.nowIso())
      await this.audit.record(trx, actor, 'link_note.create', { type: 'local_authority', id: gss }, { id: note.id, notedOn: values.notedOn, kind: values.kind, title: values.title })
      return toView((await linkNoteRepository(trx).get(gss, note.id))!, await this.themes.current(trx))
    })
  }

  async update(actor: Actor, gss: string, id: number, input: LinkNoteInput): Promise<LinkNoteView> {
    const check = new Check()
    const version = check.integer('version', 'linkNotes.field.version', input.version, { min: 1 })
    check.done()
    return this.database.db.transaction().execute(async (trx) => {
      const authority = await this.authority(actor, gss, trx)
      const before = await linkNoteRepository(trx).get(gss, id)
      if (!before) throw notFound('link note')
      if (!this.canKeep(actor, authority)) throw forbidden()
      const values = await this.validate(input, trx)
      const updated = await linkNoteRepository(trx).update(gss, id, version!, values, this.clock.nowIso())
      if (!updated) {
        throw versionConflict('Someone else changed this link note after you opened it. Reload it to see their changes, then try again.')
      }
      await this.audit.record(trx, actor, 'link_note.update', { type: 'local_authority', id: gss }, {
        id, from: { notedOn: before.noted_on, kind: before.kind, title: before.title }, to: { notedOn: values.notedOn, kind: values.kind, title: values.title },
      })
      return toView((await linkNoteRepository(trx).get(gss, id))!, await this.themes.current(trx))
    })
  }
}
