import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'

/**
 * Rows of the audit log counted below its newest id. On PostgreSQL a transaction holding a lower
 * id may commit after one with a higher id (ids are taken at insert, rows seen at commit): the
 * newest id alone would then not move, but the count of rows in this window does.
 */
const LATE_COMMIT_WINDOW = 1000

/**
 * A cheap value that changes whenever anything is written: every write in the app records an
 * audit event in its own transaction, so the audit log's newest id, with the number of rows just
 * below it, moves on every committed write. Read from the shared database on each request, so it
 * holds with several app servers. Two index lookups on the primary key, whatever the log's size.
 */
export async function changeStamp(db: Db): Promise<string> {
  const row = await db.selectFrom('audit_event')
    .select((eb) => [
      eb.fn.max('id').as('newest'),
      eb.selectFrom('audit_event as recent').select((e) => e.fn.countAll().as('n'))
        .where('recent.id', '>', sql<number>`(select coalesce(max(id), 0) from audit_event) - ${LATE_COMMIT_WINDOW}`).as('recent'),
    ])
    .executeTakeFirst()
  return `${row?.newest ?? 0}:${row?.recent ?? 0}`
}

/**
 * Derived results that are expensive to build, kept while nothing has been written: each entry
 * is stored under its key and the change stamp read when it was built, and is served only while
 * the stamp read for this request is the same. At most `size` entries, least recently used out.
 */
export class StampedCache<V> {
  private readonly entries = new Map<string, { stamp: string; value: Promise<V> }>()
  constructor(private readonly size: number) {}

  /** The value for `key` built at `stamp`, building it (once, however many ask at the same time) when there is none. */
  get(key: string, stamp: string, build: () => Promise<V>): Promise<V> {
    const found = this.entries.get(key)
    this.entries.delete(key)
    if (found && found.stamp === stamp) {
      this.entries.set(key, found)
      return found.value
    }
    const value = build()
    this.entries.set(key, { stamp, value })
    // A failure is not kept: the next request builds again.
    value.catch(() => { if (this.entries.get(key)?.value === value) this.entries.delete(key) })
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!)
    return value
  }

  get length(): number { return this.entries.size }
}
