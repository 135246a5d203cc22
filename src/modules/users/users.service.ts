import type { Database } from '../../db/database.ts'
import { ROLES, type AppUser, type Role } from '../../db/schema.ts'
import type { Clock } from '../../clock.ts'
import { AppError, conflict, notFound, versionConflict } from '../../http/errors.ts'
import { Check } from '../../http/check.ts'
import type { Actor } from '../auth/actor.ts'
import { generatePassword, hashPassword, MIN_PASSWORD_LENGTH } from '../auth/passwords.ts'
import type { AuditService } from '../audit/audit.service.ts'
import { referenceRepository } from '../reference/reference.repository.ts'
import { sessionRepository } from '../auth/session.repository.ts'
import { usersRepository, type UserFilter } from './users.repository.ts'

export const rolesWithAuthority: readonly Role[] = ['peer', 'la']

export interface UserInput { email?: unknown; name?: unknown; role?: unknown; authorityCode?: unknown; password?: unknown }

/** What the audit log keeps of a user: never the password hash. */
const auditView = (u: AppUser) => ({ email: u.email, name: u.name, role: u.role, authorityCode: u.authority_code, disabled: u.disabled })

export class UsersService {
  constructor(private readonly database: Database, private readonly audit: AuditService, private readonly clock: Clock) {}

  private get repo() { return usersRepository(this.database.db) }

  list(filter: UserFilter): Promise<AppUser[]> { return this.repo.list(filter) }
  count(): Promise<number> { return this.repo.count() }
  byEmail(email: string): Promise<AppUser | undefined> { return this.repo.byEmail(email) }

  async get(id: number): Promise<AppUser> {
    return (await this.repo.byId(id)) ?? Promise.reject(notFound('user'))
  }

  /** Validates role and authority together: a peer inspector or authority user belongs to one authority. */
  private async checkRoleAndAuthority(check: Check, role: unknown, authorityCode: unknown) {
    const r = check.oneOf('role', 'users.field.role', role, ROLES)
    let authority: string | null = null
    if (r && rolesWithAuthority.includes(r)) {
      const code = check.text('authorityCode', 'users.field.authority', authorityCode, { required: false, max: 9 })
      // A select, not a text box: "Enter ..." would be the wrong instruction.
      if (!code && !check.errors.some((e) => e.path === 'authorityCode')) check.add('authorityCode', 'users.error.authorityNeeded')
      if (code) {
        if (await referenceRepository(this.database.db).getAuthority(code)) authority = code
        else check.add('authorityCode', 'validation.unknownAuthority', { code })
      }
    }
    return { role: r, authority }
  }

  /** Creates an account. With no password given, one is generated and returned once. */
  async create(actor: Actor, input: UserInput): Promise<{ user: AppUser; password: string | null }> {
    const check = new Check()
    const email = check.email('email', 'users.field.email', input.email)
    const name = check.text('name', 'users.field.name', input.name, { max: 120 })
    const { role, authority } = await this.checkRoleAndAuthority(check, input.role, input.authorityCode)
    let password: string | null = null
    if (input.password !== undefined && input.password !== '') {
      password = check.text('password', 'users.field.password', input.password, { max: 200 })
      if (password && password.length < MIN_PASSWORD_LENGTH) check.add('password', 'validation.passwordTooShort', { min: MIN_PASSWORD_LENGTH })
    }
    if (email && (await this.repo.byEmail(email))) check.add('email', 'validation.emailTaken')
    check.done()
    const generated = password === null ? generatePassword() : null
    const hash = await hashPassword(password ?? generated!)
    try {
      return await this.database.db.transaction().execute(async (trx) => {
        const user = await usersRepository(trx).insert({ email: email!, name: name!, role: role!, authorityCode: authority, passwordHash: hash }, this.clock.nowIso())
        await this.audit.record(trx, actor, 'user.create', { type: 'user', id: user.id }, auditView(user))
        return { user, password: generated }
      })
    } catch (e) {
      // Two admins creating the same e-mail at once: the unique index decides.
      if (/unique/i.test(String((e as Error).message))) throw conflict('A user with that e-mail address already exists.', [{ path: 'email', messageKey: 'validation.emailTaken' }])
      throw e
    }
  }

  async update(actor: Actor, id: number, input: UserInput & { version?: unknown; disabled?: unknown }): Promise<AppUser> {
    const check = new Check()
    const name = check.text('name', 'users.field.name', input.name, { max: 120 })
    const { role, authority } = await this.checkRoleAndAuthority(check, input.role, input.authorityCode)
    const version = check.integer('version', 'users.field.version', input.version, { min: 1 })
    const disabled = input.disabled === true || input.disabled === 'yes' || input.disabled === '1' ? 1 : 0
    // Point at the field that broke the rule, so the error summary links to it.
    if (actor.kind === 'user' && actor.id === id) {
      if (role && role !== 'admin') check.add('role', 'validation.cannotDemoteSelf')
      else if (disabled) check.add('disabled', 'validation.cannotDemoteSelf')
    }
    check.done()
    return this.database.db.transaction().execute(async (trx) => {
      const repo = usersRepository(trx)
      const before = await repo.byId(id)
      if (!before) throw notFound('user')
      const after = await repo.update(id, version!, { name: name!, role: role!, authorityCode: authority, disabled }, this.clock.nowIso())
      if (!after) throw versionConflict('Someone else changed this user after you opened it. Reload to see their changes.')
      // A change of role or a disabled account must take effect now, not at the next sign-in.
      if (before.role !== after.role || before.authority_code !== after.authority_code || after.disabled) await sessionRepository(trx).deleteForUser(id)
      await this.audit.record(trx, actor, 'user.update', { type: 'user', id }, { before: auditView(before), after: auditView(after) })
      return after
    })
  }

  async disableByEmail(actor: Actor, email: string): Promise<AppUser> {
    return this.database.db.transaction().execute(async (trx) => {
      const repo = usersRepository(trx)
      const user = await repo.byEmail(email)
      if (!user) throw new AppError('not_found', `No user has the e-mail address ${email}.`)
      await repo.setDisabled(user.id, 1, this.clock.nowIso())
      await sessionRepository(trx).deleteForUser(user.id)
      await this.audit.record(trx, actor, 'user.disable', { type: 'user', id: user.id }, { email: user.email })
      return { ...user, disabled: 1 as const }
    })
  }

  /** Sets a new generated password (returned once) and signs the user out everywhere. */
  async resetPassword(actor: Actor, id: number): Promise<string> {
    const password = generatePassword()
    const hash = await hashPassword(password)
    await this.database.db.transaction().execute(async (trx) => {
      const repo = usersRepository(trx)
      const user = await repo.byId(id)
      if (!user) throw notFound('user')
      await repo.setPasswordHash(id, hash, this.clock.nowIso())
      await sessionRepository(trx).deleteForUser(id)
      await this.audit.record(trx, actor, 'user.reset_password', { type: 'user', id }, { email: user.email })
    })
    return password
  }
}
