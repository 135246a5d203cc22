import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { AppUser, Role } from '../../db/schema.ts'

export interface UserFilter { q?: string; role?: Role; authorityCode?: string; includeDisabled?: boolean }
export interface NewUser { email: string; name: string; role: Role; authorityCode: string | null; passwordHash: string | null }

export function usersRepository(db: Db) {
  return {
    async insert(u: NewUser, now: string): Promise<AppUser> {
      return db.insertInto('app_user').values({
        email: u.email, name: u.name, role: u.role, authority_code: u.authorityCode,
        password_hash: u.passwordHash, created_at: now, updated_at: now,
      }).returningAll().executeTakeFirstOrThrow()
    },

    byId(id: number): Promise<AppUser | undefined> {
      return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst()
    },

    byEmail(email: string): Promise<AppUser | undefined> {
      return db.selectFrom('app_user').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst()
    },

    list(f: UserFilter = {}): Promise<AppUser[]> {
      let q = db.selectFrom('app_user').selectAll()
      if (f.q) {
        const like = `%${f.q.toLowerCase().replace(/[%_]/g, '')}%`
        q = q.where((eb) => eb.or([eb(eb.fn('lower', ['name']), 'like', like), eb('email', 'like', like)]))
      }
      if (f.role) q = q.where('role', '=', f.role)
      if (f.authorityCode) q = q.where('authority_code', '=', f.authorityCode)
      if (!f.includeDisabled) q = q.where('disabled', '=', 0)
      return q.orderBy('name').orderBy('id').execute()
    },

    async count(): Promise<number> {
      const r = await db.selectFrom('app_user').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      return Number(r.n)
    },

    /** Version-checked: undefined when someone else saved first. */
    update(id: number, expectedVersion: number, changes: { name: string; role: Role; authorityCode: string | null; disabled: 0 | 1 }, now: string): Promise<AppUser | undefined> {
      return db.updateTable('app_user')
        .set({ name: changes.name, role: changes.role, authority_code: changes.authorityCode, disabled: changes.disabled, updated_at: now, version: sql<number>`version + 1` })
        .where('id', '=', id).where('version', '=', expectedVersion)
        .returningAll().executeTakeFirst()
    },

    async setDisabled(id: number, disabled: 0 | 1, now: string): Promise<void> {
      await db.updateTable('app_user').set({ disabled, updated_at: now, version: sql<number>`version + 1` }).where('id', '=', id).execute()
    },

    async setPasswordHash(id: number, hash: string, now: string): Promise<void> {
      await db.updateTable('app_user').set({ password_hash: hash, updated_at: now, version: sql<number>`version + 1` }).where('id', '=', id).execute()
    },
  }
}
