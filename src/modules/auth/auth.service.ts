import { createHash, randomBytes } from 'node:crypto'
import type { Database } from '../../db/database.ts'
import type { AppUser } from '../../db/schema.ts'
import type { Clock } from '../../clock.ts'
import type { Config } from '../../config.ts'
import { AppError } from '../../http/errors.ts'
import type { Actor, UserActor } from './actor.ts'
import type { AuditService } from '../audit/audit.service.ts'
import { usersRepository } from '../users/users.repository.ts'
import { decoyHash, verifyPassword } from './passwords.ts'
import { apiTokenRepository, sessionRepository, signInAttemptRepository } from './session.repository.ts'

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
const newSecret = () => randomBytes(32).toString('base64url')

export function toActor(u: AppUser): UserActor {
  return { kind: 'user', id: u.id, name: u.name, email: u.email, role: u.role, authorityCode: u.authority_code }
}

export type SignInResult =
  | { ok: true; user: AppUser; sessionToken: string }
  | { ok: false; reason: 'invalid' }

/** Sign-in, sessions and API tokens. Everything is in the database, so several app servers can share it. */
export class AuthService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: Pick<Config, 'sessionHours' | 'signIn'>,
  ) {}

  private get db() { return this.database.db }

  /**
   * Checks an e-mail and password. Failures count against the e-mail as typed, whether an account
   * exists or not, and a locked e-mail fails even with the right password: the answer is always
   * the same "invalid", so nobody learns which accounts exist or which are locked.
   */
  async signIn(emailInput: string, password: string): Promise<SignInResult> {
    const emailKey = emailInput.trim().toLowerCase()
    const now = this.clock.now()
    const attempts = signInAttemptRepository(this.db)
    const attempt = await attempts.get(emailKey)
    const locked = attempt?.locked_until != null && attempt.locked_until > now.toISOString()
    const user = await usersRepository(this.db).byEmail(emailKey)
    const usable = user && !user.disabled && user.password_hash
    const passwordOk = await verifyPassword(usable ? user.password_hash! : await decoyHash(), password)
    if (!locked && usable && passwordOk) {
      if (attempt) await attempts.clear(emailKey)
      const sessionToken = await this.startSession(user)
      await this.audit.record(this.db, toActor(user), 'auth.sign_in', { type: 'user', id: user.id }, { method: 'password' })
      return { ok: true, user, sessionToken }
    }
    if (!locked) await this.countFailure(emailKey, attempt, now)
    return { ok: false, reason: 'invalid' }
  }

  private async countFailure(emailKey: string, attempt: { failures: number; first_failure_at: string } | undefined, now: Date): Promise<void> {
    const windowStart = new Date(now.getTime() - this.config.signIn.lockMinutes * 60_000).toISOString()
    // Failures older than the lock window are forgotten.
    const fresh = attempt && attempt.first_failure_at > windowStart
    const failures = fresh ? attempt.failures + 1 : 1
    const first = fresh ? attempt.first_failure_at : now.toISOString()
    const lockedUntil = failures >= this.config.signIn.maxFailures
      ? new Date(now.getTime() + this.config.signIn.lockMinutes * 60_000).toISOString()
      : null
    await signInAttemptRepository(this.db).save(emailKey, lockedUntil ? 0 : failures, first, lockedUntil)
    if (lockedUntil) {
      await this.audit.record(this.db, { kind: 'system', label: 'sign-in' }, 'auth.lock', { type: 'sign_in', id: emailKey }, { until: lockedUntil })
    }
  }

  /** Starts a session for a user already proven (by password or single sign-on); returns the cookie value. */
  async startSession(user: AppUser): Promise<string> {
    const token = newSecret()
    const now = this.clock.now()
    const expires = new Date(now.getTime() + this.config.sessionHours * 3_600_000)
    await sessionRepository(this.db).insert(sha256(token), user.id, now.toISOString(), expires.toISOString())
    return token
  }

  async actorForSession(token: string | undefined): Promise<UserActor | undefined> {
    if (!token) return undefined
    const user = await sessionRepository(this.db).activeUser(sha256(token), this.clock.nowIso())
    return user ? toActor(user) : undefined
  }

  async signOut(actor: Actor | undefined, token: string | undefined): Promise<void> {
    if (!token) return
    await sessionRepository(this.db).delete(sha256(token))
    if (actor) await this.audit.record(this.db, actor, 'auth.sign_out', { type: 'user', id: actor.kind === 'user' ? actor.id : 0 })
  }

  /** A new API token for the user with that e-mail; the token itself is shown once and only its hash kept. */
  async createToken(actor: Actor, email: string, label = 'api'): Promise<{ token: string; id: number }> {
    const user = await usersRepository(this.db).byEmail(email)
    if (!user) throw new AppError('not_found', `No user has the e-mail address ${email}.`)
    if (user.disabled) throw new AppError('rule_violation', `The account ${email} is disabled.`)
    const token = `cyswllt_${newSecret()}`
    return this.db.transaction().execute(async (trx) => {
      const row = await apiTokenRepository(trx).insert(user.id, sha256(token), label, this.clock.nowIso())
      await this.audit.record(trx, actor, 'token.create', { type: 'api_token', id: row.id }, { user: user.email, label })
      return { token, id: row.id }
    })
  }

  /** Revokes one token (given the token itself) or every token of a user (given an e-mail). */
  async revokeTokens(actor: Actor, which: { token?: string; email?: string }): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      let count: number
      if (which.token) {
        count = await apiTokenRepository(trx).revoke({ tokenHash: sha256(which.token) }, this.clock.nowIso())
      } else if (which.email) {
        const user = await usersRepository(trx).byEmail(which.email)
        if (!user) throw new AppError('not_found', `No user has the e-mail address ${which.email}.`)
        count = await apiTokenRepository(trx).revoke({ userId: user.id }, this.clock.nowIso())
      } else {
        throw new AppError('bad_request', 'Say which token to revoke: the token itself or the e-mail of its user.')
      }
      await this.audit.record(trx, actor, 'token.revoke', { type: 'api_token', id: which.email ?? 'token' }, { count })
      return count
    })
  }

  async actorForToken(token: string): Promise<UserActor | undefined> {
    const hash = sha256(token)
    const repo = apiTokenRepository(this.db)
    const user = await repo.activeUser(hash)
    if (!user) return undefined
    await repo.touch(hash, this.clock.nowIso())
    return toActor(user)
  }
}
