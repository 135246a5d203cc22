import type { Database, Db } from '../../db/database.ts'
import { EVIDENCE_KINDS, FINDING_KINDS, type EvidenceKind, type FindingKind } from '../../db/schema.ts'
import type { Clock } from '../../clock.ts'
import { Check } from '../../http/check.ts'
import { AppError, forbidden, notFound, versionConflict } from '../../http/errors.ts'
import type { Actor } from '../auth/actor.ts'
import type { AuditService } from '../audit/audit.service.ts'
import type { ElvView, VisitsService } from '../visits/visits.service.ts'
import { isEvidenceOpen, type EvidenceService } from '../evidence/evidence.service.ts'
import type { ThemesService, ThemeView } from '../themes/themes.service.ts'
import { findingLinks, findingRepository, findingWrites, triangulationSettings, type FindingRow, type FindingValues, type TriangulationSettings } from './findings.repository.ts'
import { textStart, thresholdProblems, THRESHOLD_LIMITS, triangulate, type Threshold, type Triangulation } from './findings.rules.ts'

export const MAX_FINDING_TEXT = 2000
/** More than this many items behind one finding is a mistake, not a finding. */
export const MAX_FINDING_EVIDENCE = 200

export interface FindingInput {
  focusAreaId?: unknown
  kind?: unknown
  text?: unknown
  /** One id, or several (a form's checkboxes, or the API's array). */
  evidenceIds?: unknown
  themes?: unknown
  version?: unknown
}

export interface FindingView {
  id: number
  elvId: number
  focusAreaId: number
  focusAreaTitle: string
  kind: FindingKind
  text: string
  version: number
  createdAt: string
  updatedAt: string
  createdByName: string | null
  evidence: Array<{ id: number; kind: EvidenceKind; title: string; source: string }>
  themes: ThemeView[]
  triangulation: Triangulation
}

export interface ElvFindings {
  elv: ElvView
  threshold: Threshold
  /** May the actor add, change and delete findings now (on the team, and the letter not yet issued)? */
  canRecord: boolean
  /** False once the letter is issued: findings are then read-only for everyone. */
  open: boolean
  focusAreas: Array<{ id: number; title: string }>
  findings: FindingView[]
}

export interface MatrixRow {
  focusArea: { id: number; title: string }
  counts: Record<EvidenceKind, number>
  total: number
  findings: number
  secure: number
  notSecure: number
}

export interface Matrix {
  elv: ElvView
  kinds: readonly EvidenceKind[]
  rows: MatrixRow[]
  /** Items tagged to no focus area, by kind: they support no finding's focus area yet. */
  untagged: Record<EvidenceKind, number>
  untaggedTotal: number
}

export const staleFinding = () => versionConflict('Someone else saved this finding after you opened it. Nothing of yours was saved: compare the two versions and save again.')
const staleSettings = () => versionConflict('Someone else changed the triangulation threshold after you opened it. Nothing of yours was saved: check the current values and save again.')

const closedVisit = () => new AppError('rule_violation', 'The letter for this visit has been issued (or the visit cancelled), so its findings can no longer change.', [
  { path: 'state', messageKey: 'findings.rule.closed' },
])

const asList = (v: unknown): unknown[] => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v])
const isAuthority = (actor: Actor) => actor.kind === 'user' && actor.role === 'la'
const zeroCounts = (): Record<EvidenceKind, number> => Object.fromEntries(EVIDENCE_KINDS.map((k) => [k, 0])) as Record<EvidenceKind, number>

/** Findings per focus area, each resting on evidence, with their triangulation. */
export class FindingsService {
  constructor(
    readonly database: Database,
    readonly audit: AuditService,
    readonly clock: Clock,
    readonly visits: VisitsService,
    readonly evidence: EvidenceService,
    readonly themes: ThemesService,
  ) {}

  private userId(actor: Actor): number | null { return actor.kind === 'user' ? actor.id : null }

  // ---- the threshold ------------------------------------------------------------------------

  /** The threshold in force: what an administrator saved, or the default. */
  async threshold(db: Db = this.database.db): Promise<Threshold> {
    const { minItems, minKinds, minSources } = await triangulationSettings(db).read()
    return { minItems, minKinds, minSources }
  }

  async settings(actor: Actor): Promise<TriangulationSettings> {
    requireAdmin(actor)
    return triangulationSettings(this.database.db).read()
  }

  /** Saves a new threshold when `version` is current; each value a whole number from 1 to 20, kinds at most 5. */
  async saveSettings(actor: Actor, input: { minItems?: unknown; minKinds?: unknown; minSources?: unknown; version?: unknown }): Promise<TriangulationSettings> {
    requireAdmin(actor)
    const check = new Check()
    const values = {} as Threshold
    for (const key of ['minItems', 'minKinds', 'minSources'] as const) {
      const raw = input[key]
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : NaN
      values[key] = n
      if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) check.add(key, 'validation.required', { field: `findings.settings.field.${key}` })
    }
    const missing = new Set(check.errors.map((e) => e.path))
    for (const [key, problem] of thresholdProblems(values)) {
      if (missing.has(key)) continue
      if (problem === 'range') check.add(key, 'findings.settings.rule.range', { field: `findings.settings.field.${key}`, min: THRESHOLD_LIMITS.min, max: THRESHOLD_LIMITS.max })
      else check.add(key, 'findings.settings.rule.kindsMax', { max: THRESHOLD_LIMITS.maxKinds })
    }
    const version = check.integer('version', 'findings.field.version', input.version, { min: 1 })
    check.done()
    return this.database.db.transaction().execute(async (trx) => {
      const repo = triangulationSettings(trx)
      const before = await repo.read()
      if (!(await repo.save(version!, values, this.clock.nowIso()))) throw staleSettings()
      await this.audit.record(trx, actor, 'settings.triangulation', { type: 'setting', id: 'triangulation' }, {
        from: { minItems: before.minItems, minKinds: before.minKinds, minSources: before.minSources }, to: values,
      })
      return repo.read()
    })
  }

  // ---- who may do what ----------------------------------------------------------------------

  /** The ELV, for a reader from the inspectorate who may see it; authority users get 404, as if there were none. */
  private async readable(actor: Actor, elvId: number, db: Db): Promise<ElvView> {
    if (isAuthority(actor)) throw notFound('visit')
    return this.visits.get(actor, elvId, db)
  }

  /** Opens a change to an ELV's findings inside `trx`: open visit, and someone who may record evidence. */
  private async beginWrite(actor: Actor, elvId: number, trx: Db): Promise<ElvView> {
    const elv = await this.readable(actor, elvId, trx)
    if (!isEvidenceOpen(elv.state)) throw closedVisit()
    if (!(await this.evidence.canRecord(actor, elv, trx))) throw forbidden()
    // Bumps the ELV's version, so a move to quality assurance decided on older findings is refused.
    await this.visits.beginEdit(trx, actor, elvId)
    return elv
  }

  // ---- reads --------------------------------------------------------------------------------

  /** Everything the findings page needs: the live focus areas and their findings with triangulation. */
  async forElv(actor: Actor, elvId: number): Promise<ElvFindings> {
    const db = this.database.db
    const elv = await this.readable(actor, elvId, db)
    const [threshold, canRecord, focusAreas, listed] = await Promise.all([
      this.threshold(db), this.evidence.canRecord(actor, elv, db), findingLinks(db).liveFocusAreas(elvId), findingRepository(db, actor).listForElv(elvId),
    ])
    // By focus area, then what is working well before considerations for improvement, then oldest first.
    const rows = [...listed].sort((a, b) => a.focus_area_position - b.focus_area_position || a.focus_area_id - b.focus_area_id
      || FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind) || a.id - b.id)
    return {
      elv, threshold, canRecord, open: isEvidenceOpen(elv.state),
      focusAreas: focusAreas.map((f) => ({ id: f.id, title: f.title })),
      findings: await this.views(rows, threshold, db),
    }
  }

  async list(actor: Actor, elvId: number): Promise<FindingView[]> {
    return (await this.forElv(actor, elvId)).findings
  }

  /** One finding if the actor may see it; 404 otherwise. */
  async get(actor: Actor, id: number, db: Db = this.database.db): Promise<FindingView> {
    if (isAuthority(actor)) throw notFound('finding')
    const row = await findingRepository(db, actor).get(id)
    if (!row) throw notFound('finding')
    return (await this.views([row], await this.threshold(db), db))[0]!
  }

  /** May the actor change this ELV's findings now? For pages deciding whether to show forms. */
  async canRecord(actor: Actor, elv: ElvView): Promise<boolean> {
    return !isAuthority(actor) && this.evidence.canRecord(actor, elv)
  }

  private async views(rows: FindingRow[], threshold: Threshold, db: Db): Promise<FindingView[]> {
    const ids = rows.map((r) => r.id)
    const links = findingLinks(db)
    const [evidence, themeIds, themes] = await Promise.all([links.evidence(ids), links.themeIds(ids), this.themes.listAll(db)])
    const themeById = new Map(themes.map((t) => [t.id, t]))
    return rows.map((r) => {
      const items = evidence.get(r.id) ?? []
      return {
        id: r.id, elvId: r.elv_id, focusAreaId: r.focus_area_id, focusAreaTitle: r.focus_area_title, kind: r.kind, text: r.text,
        version: r.version, createdAt: r.created_at, updatedAt: r.updated_at, createdByName: r.created_by_name,
        evidence: items.map(({ id, kind, title, source }) => ({ id, kind, title, source })),
        themes: (themeIds.get(r.id) ?? []).flatMap((t) => {
          const theme = themeById.get(t)
          return theme ? [{ id: theme.id, key: theme.key, labelEn: theme.labelEn, labelCy: theme.labelCy }] : []
        }),
        triangulation: triangulate(items, threshold),
      }
    })
  }

  /** Focus areas by evidence kind, with counts: where the evidence is thin shows before the team leaves. */
  async matrix(actor: Actor, elvId: number): Promise<Matrix> {
    const { elv, focusAreas, findings } = await this.forElv(actor, elvId)
    const counts = await findingLinks(this.database.db).evidenceCounts(elvId)
    const untagged = zeroCounts()
    const rows = focusAreas.map((fa) => {
      const own = findings.filter((f) => f.focusAreaId === fa.id)
      const secure = own.filter((f) => f.triangulation.secure).length
      return { focusArea: fa, counts: zeroCounts(), total: 0, findings: own.length, secure, notSecure: own.length - secure }
    })
    const rowById = new Map(rows.map((r) => [r.focusArea.id, r]))
    for (const c of counts) {
      if (c.focusAreaId === null) untagged[c.kind] += c.n
      const row = c.focusAreaId === null ? undefined : rowById.get(c.focusAreaId)
      if (row) { row.counts[c.kind] += c.n; row.total += c.n }
    }
    return { elv, kinds: EVIDENCE_KINDS, rows, untagged, untaggedTotal: Object.values(untagged).reduce((a, b) => a + b, 0) }
  }

  // ---- writes -------------------------------------------------------------------------------

  /** Checks a finding's fields against its ELV; every problem at once. */
  private async validate(actor: Actor, elv: ElvView, input: FindingInput, db: Db) {
    const check = new Check()
    const focusAreaId = input.focusAreaId === undefined || input.focusAreaId === null || input.focusAreaId === ''
      ? (check.add('focusAreaId', 'validation.choice', { field: 'findings.field.focusArea' }), null)
      : check.integer('focusAreaId', 'findings.field.focusArea', input.focusAreaId, { min: 1 })
    const kind = check.oneOf<FindingKind>('kind', 'findings.field.kind', input.kind, FINDING_KINDS)
    const text = check.text('text', 'findings.field.text', typeof input.text === 'string' ? input.text.replace(/\r\n/g, '\n') : input.text, { max: MAX_FINDING_TEXT })
    const rawIds = asList(input.evidenceIds)
    const evidenceIds: number[] = []
    for (const raw of rawIds) {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN
      if (Number.isInteger(n) && n > 0) evidenceIds.push(n)
      else check.add('evidenceIds', 'findings.rule.evidenceId', { id: String(raw).slice(0, 20) })
    }
    const uniqueIds = [...new Set(evidenceIds)]
    if (uniqueIds.length > MAX_FINDING_EVIDENCE) check.add('evidenceIds', 'findings.rule.tooMuchEvidence', { max: MAX_FINDING_EVIDENCE })
    const themes = await this.themes.resolve(check, 'themes', input.themes, db)
    if (focusAreaId !== null) {
      const live = await findingLinks(db).liveFocusAreas(elv.id)
      if (!live.some((f) => f.id === focusAreaId)) check.add('focusAreaId', 'findings.rule.focusAreaNotOfVisit', { id: focusAreaId })
    }
    if (uniqueIds.length && uniqueIds.length <= MAX_FINDING_EVIDENCE) {
      const ours = await findingRepository(db, actor).evidenceOfElv(elv.id, uniqueIds)
      // Each one named: evidence of another visit, or none at all, cannot support this visit's finding.
      for (const id of uniqueIds) if (!ours.has(id)) check.add('evidenceIds', 'findings.rule.evidenceNotOfVisit', { id })
    }
    check.done()
    const values: FindingValues = { focusAreaId: focusAreaId!, kind: kind!, text: text! }
    return { values, evidenceIds: uniqueIds, themeIds: themes.map((t) => t.id) }
  }

  async create(actor: Actor, elvId: number, input: FindingInput): Promise<FindingView> {
    return this.database.db.transaction().execute(async (trx) => {
      const elv = await this.beginWrite(actor, elvId, trx)
      const { values, evidenceIds, themeIds } = await this.validate(actor, elv, input, trx)
      const row = await findingWrites(trx).insert(elvId, values, this.userId(actor), this.clock.nowIso())
      await findingWrites(trx).setEvidence(row.id, evidenceIds)
      await findingWrites(trx).setThemes(row.id, themeIds)
      await this.audit.record(trx, actor, 'finding.create', { type: 'elv', id: elvId }, {
        id: row.id, focusAreaId: values.focusAreaId, kind: values.kind, text: textStart(values.text, 200), evidenceIds,
      })
      return this.get(actor, row.id, trx)
    })
  }

  /** Saves an edit when `version` is current; a stale version is refused (409) and nothing is overwritten. */
  async update(actor: Actor, id: number, input: FindingInput): Promise<FindingView> {
    const check = new Check()
    const version = check.integer('version', 'findings.field.version', input.version, { min: 1 })
    check.done()
    return this.database.db.transaction().execute(async (trx) => {
      const before = await this.get(actor, id, trx)
      const elv = await this.beginWrite(actor, before.elvId, trx)
      const merged: FindingInput = {
        focusAreaId: input.focusAreaId ?? before.focusAreaId, kind: input.kind ?? before.kind, text: input.text ?? before.text,
        evidenceIds: input.evidenceIds === undefined ? before.evidence.map((e) => e.id) : input.evidenceIds,
        themes: input.themes === undefined ? before.themes.map((t) => t.key) : input.themes,
      }
      const { values, evidenceIds, themeIds } = await this.validate(actor, elv, merged, trx)
      const row = await findingWrites(trx).update(id, version!, values, this.clock.nowIso())
      if (!row) throw staleFinding()
      await findingWrites(trx).setEvidence(id, evidenceIds)
      await findingWrites(trx).setThemes(id, themeIds)
      await this.audit.record(trx, actor, 'finding.update', { type: 'elv', id: elv.id }, {
        id, version: row.version, focusAreaId: values.focusAreaId, kind: values.kind, text: textStart(values.text, 200), evidenceIds,
      })
      return this.get(actor, id, trx)
    })
  }

  /** Deletes a finding; with a `version`, only if no one has changed it since. */
  async remove(actor: Actor, id: number, input: { version?: unknown } = {}): Promise<FindingView> {
    const check = new Check()
    const version = input.version === undefined || input.version === null || input.version === '' ? null : check.integer('version', 'findings.field.version', input.version, { min: 1 })
    check.done()
    return this.database.db.transaction().execute(async (trx) => {
      const before = await this.get(actor, id, trx)
      await this.beginWrite(actor, before.elvId, trx)
      if (!(await findingWrites(trx).delete(id, version))) throw staleFinding()
      await this.audit.record(trx, actor, 'finding.delete', { type: 'elv', id: before.elvId }, {
        id, focusAreaId: before.focusAreaId, kind: before.kind, text: textStart(before.text, 200), evidenceIds: before.evidence.map((e) => e.id),
      })
      return before
    })
  }
}

function requireAdmin(actor: Actor): void {
  if (actor.kind === 'user' && actor.role !== 'admin') throw forbidden()
}
