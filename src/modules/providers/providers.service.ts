import type { Database } from '../../db/database.ts'
import type { Provider } from '../../db/schema.ts'
import type { Clock } from '../../clock.ts'
import { forbidden, notFound, validationFailed } from '../../http/errors.ts'
import type { Actor } from '../auth/actor.ts'
import type { AuditService } from '../audit/audit.service.ts'
import { referenceRepository } from '../reference/reference.repository.ts'
import type { ElvView, VisitsService } from '../visits/visits.service.ts'
import { readProvidersCsv } from './providers.csv.ts'
import { providersRepository, type LinkNoteSummary } from './providers.repository.ts'

/** How far back preparation looks for inspections of the authority's providers. */
export const PREPARATION_YEARS = 2
/** Link notes shown in preparation: the newest, enough to cover several years of a link inspector's work. */
export const PREPARATION_NOTES = 100
/** The start of each link note's body shown in preparation. */
export const NOTE_EXCERPT = 200

export interface Preparation {
  elv: ElvView
  termStartsOn: string | null
  /** Inspections counted from this date (inclusive) up to the term's start (exclusive). */
  inspectedFrom: string | null
  providers: Provider[]
  /** False for peer inspectors: link notes are the inspectorate's own (then `linkNotes` is empty). */
  readsLinkNotes: boolean
  linkNotes: Array<LinkNoteSummary & { excerpt: string; truncated: boolean }>
  focusAreas: Array<{ id: number; title: string }>
}

/** The same calendar date `years` earlier (29 February falls back to 28 February). */
export function yearsBefore(isoDate: string, years: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(y - years, m - 1, d))
  if (date.getUTCMonth() !== m - 1) date.setUTCDate(0)
  return date.toISOString().slice(0, 10)
}

/** Schools and other providers of each authority with their latest inspection, imported from CSV. */
export class ProvidersService {
  constructor(
    readonly database: Database,
    readonly audit: AuditService,
    readonly clock: Clock,
    readonly visits: VisitsService,
  ) {}

  count(): Promise<number> {
    return providersRepository(this.database.db).count()
  }

  /**
   * Imports a providers CSV file (docs/providers-csv.md): all or nothing. Every row is checked
   * first and any problem refuses the whole file, each problem named by row and column; a good
   * file inserts new providers and updates existing ones (matched by reference) in one transaction.
   */
  async importCsv(actor: Actor, text: string): Promise<{ inserted: number; updated: number }> {
    if (actor.kind === 'user' && actor.role !== 'admin') throw forbidden()
    return this.database.db.transaction().execute(async (trx) => {
      const repo = providersRepository(trx)
      const { rows, problems } = readProvidersCsv(text, await repo.authorityCodes())
      if (problems.length) throw validationFailed(problems)
      const existing = await repo.existingReferences(rows.map((r) => r.reference))
      await repo.upsert(rows, this.clock.nowIso())
      const result = { inserted: rows.length - existing.size, updated: existing.size }
      await this.audit.record(trx, actor, 'providers.import', { type: 'provider', id: 'csv' }, { ...result, rows: rows.length })
      return result
    })
  }

  /**
   * What the inspectorate knows of the authority before a visit: its providers inspected in the
   * two years before the visit's term starts, the link inspector's notes, and the focus areas.
   * Authority users never see it (it is the inspectorate's intelligence): for them it does not exist.
   */
  async preparation(actor: Actor, elvId: number): Promise<Preparation> {
    if (actor.kind === 'user' && actor.role === 'la') throw notFound('visit')
    const elv = await this.visits.get(actor, elvId)
    const db = this.database.db
    const repo = providersRepository(db)
    const term = await referenceRepository(db).getTerm(elv.term_key)
    const termStartsOn = term?.starts_on ?? null
    const inspectedFrom = termStartsOn ? yearsBefore(termStartsOn, PREPARATION_YEARS) : null
    // Link notes are the inspectorate's own: a peer inspector on the team does not see them.
    const readsLinkNotes = actor.kind === 'system' || ['admin', 'reviewer', 'hmi'].includes(actor.role)
    const [providers, notes, focusAreas] = await Promise.all([
      termStartsOn && inspectedFrom ? repo.inspectedBetween(elv.authority_code, inspectedFrom, termStartsOn) : Promise.resolve([]),
      readsLinkNotes ? repo.linkNotes(elv.authority_code, PREPARATION_NOTES) : Promise.resolve([]),
      repo.focusAreaTitles(elv.id),
    ])
    const linkNotes = notes.map((n) => {
      // Counted in characters a reader sees, so a Welsh letter or an emoji is never cut in half.
      const chars = [...n.body]
      return { ...n, excerpt: chars.slice(0, NOTE_EXCERPT).join(''), truncated: chars.length > NOTE_EXCERPT }
    })
    return { elv, termStartsOn, inspectedFrom, providers, readsLinkNotes, linkNotes, focusAreas }
  }
}
