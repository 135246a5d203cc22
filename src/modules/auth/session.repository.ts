import type { Db } from '../../db/database.ts'
import type { AppUser } from '../../db/schema.ts'

export function sessionRepository(db: Db) {
  return {
    async insert(idHash: string, userId: number, now: string, expiresAt: string): Promise<void> {
      await db.insertInto('user_session').values({ id_hash: idHash, user_id: userId, created_at: now, expires_at: expiresAt }).execute()
    },

    /** The signed-in user behind a live session, or undefined. */
    activeUser(idHash: string, now: string): Promise<AppUser | undefined> {
      return db.selectFrom('user_session')
        .innerJoin('app_user', 'app_user.id', 'user_session.user_id')
        .selectAll('app_user')
        .where('user_session.id_hash', '=', idHash)
        .where('user_session.expires_at', '>', now)
        .where('app_user.disabled', '=', 0)
        .executeTakeFirst()
    },

    async delete(idHash: string): Promise<void> {
      await db.deleteFrom('user_session').where('id_hash', '=', idHash).execute()
    },

    async deleteForUser(userId: number): Promise<void> {
      await db.deleteFrom('user_session').where('user_id', '=', userId).execute()
    },

    async deleteExpired(now: string): Promise<void> {
      await db.deleteFrom('user_session').where('expires_at', '<=', now).execute()
    },
  }
}

export function signInAttemptRepository(db: Db) {
  return {
    get(emailKey: string) {
      return db.selectFrom('sign_in_attempt').selectAll().where('email_key', '=', emailKey).executeTakeFirst()
    },
    async save(emailKey: string, failures: number, firstFailureAt: string, lockedUntil: string | null): Promise<void> {
      await db.insertInto('sign_in_attempt')
        .values({ email_key: emailKey, failures, first_failure_at: firstFailureAt, locked_until: lockedUntil })
        .onConflict((oc) => oc.column('email_key').doUpdateSet({ failures, first_failure_at: firstFailureAt, locked_until: lockedUntil }))
        .execute()
    },
    async clear(emailKey: string): Promise<void> {
      await db.deleteFrom('sign_in_attempt').where('email_key', '=', emailKey).execute()
    },
  }
}

export function apiTokenRepository(db: Db) {
  return {
    async insert(userId: number, tokenHash: string, label: string, now: string) {
      return db.insertInto('api_token').values({ user_id: userId, token_hash: tokenHash, label, created_at: now })
        .returningAll().executeTakeFirstOrThrow()
    },
    activeUser(tokenHash: string): Promise<AppUser | undefined> {
      return db.selectFrom('api_token')
        .innerJoin('app_user', 'app_user.id', 'api_token.user_id')
        .selectAll('app_user')
        .where('api_token.token_hash', '=', tokenHash)
        .where('api_token.revoked_at', 'is', null)
        .where('app_user.disabled', '=', 0)
        .executeTakeFirst()
    },
    async touch(tokenHash: string, now: string): Promise<void> {
      await db.updateTable('api_token').set({ last_used_at: now }).where('token_hash', '=', tokenHash).execute()
    },
    listForUser(userId: number) {
      return db.selectFrom('api_token').selectAll().where('user_id', '=', userId).orderBy('id').execute()
    },
    async revoke(where: { tokenHash?: string; id?: number; userId?: number }, now: string): Promise<number> {
      let q = db.updateTable('api_token').set({ revoked_at: now }).where('revoked_at', 'is', null)
      if (where.tokenHash) q = q.where('token_hash', '=', where.tokenHash)
      if (where.id !== undefined) q = q.where('id', '=', where.id)
      if (where.userId !== undefined) q = q.where('user_id', '=', where.userId)
      const r = await q.executeTakeFirst()
      return Number(r.numUpdatedRows)
    },
  }
}
