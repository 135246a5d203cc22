import { ROLES, type Role } from '../db/schema.ts'
import { systemActor } from '../modules/auth/actor.ts'
import { MIN_PASSWORD_LENGTH } from '../modules/auth/passwords.ts'
import { defineCommand, UsageError } from './command.ts'
import { withServices } from './context.ts'
import { formatTable } from './output.ts'

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value)

export const userAdd = defineCommand({
  name: 'user add',
  summary: 'Create a user account.',
  details: [
    `Roles: ${ROLES.join(', ')}. Peer inspectors (peer) and local authority users (la) belong to one local authority: give its GSS code with --authority.`,
    `With --password-stdin the password (at least ${MIN_PASSWORD_LENGTH} characters) is read from the first line of standard input, so it never appears in the shell history or the process list. Without it a password is generated and printed once.`,
  ],
  options: {
    email: { type: 'string', value: 'E', help: 'E-mail address; the user signs in with it.', required: true },
    name: { type: 'string', value: 'N', help: 'Full name, as shown to other users.', required: true },
    role: { type: 'string', value: 'R', help: `One of ${ROLES.join(', ')}.`, required: true },
    authority: { type: 'string', value: 'GSS', help: 'GSS code of the local authority, e.g. W06000015 (roles peer and la only).' },
    'password-stdin': { type: 'boolean', help: 'Read the password from standard input.' },
  },
  examples: [
    'cyswllt user add --email reviewer@example.gov.wales --name "Rhian Jones" --role reviewer',
    'printf %s "$PASSWORD" | cyswllt user add --email la@example.gov.wales --name "Sam Evans" --role la --authority W06000015 --password-stdin',
  ],
  async run(values, io) {
    const role = values.role
    if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}, not "${role}"`)
    const { rolesWithAuthority } = await import('../modules/users/users.service.ts')
    const needsAuthority = rolesWithAuthority.includes(role)
    if (needsAuthority && !values.authority) throw new UsageError(`--authority is required for role ${role}: give the authority's GSS code, e.g. W06000015`)
    if (!needsAuthority && values.authority !== undefined) throw new UsageError(`--authority is only for roles ${rolesWithAuthority.join(' and ')}, not ${role}`)
    let password: string | undefined
    if (values['password-stdin']) {
      password = (await io.readLine())?.replace(/\r$/, '')
      if (!password) throw new UsageError('--password-stdin was given but standard input held no password')
    }
    return withServices(io, async (services) => {
      const { user, password: generated } = await services.users.create(systemActor('cli'), {
        email: values.email, name: values.name, role, authorityCode: values.authority, password,
      })
      const where = user.authority_code ? ` for ${user.authority_code}` : ''
      io.out(`Created user ${user.id}: ${user.email} (${user.role}${where}).`)
      if (generated) io.out(`Password: ${generated}\nThis password is shown only once.`)
      return 0
    })
  },
})

export const userList = defineCommand({
  name: 'user list',
  summary: 'List every user account, disabled ones included.',
  options: {},
  async run(_values, io) {
    return withServices(io, async (services) => {
      const users = await services.users.list({ includeDisabled: true })
      const rows = users
        .sort((a, b) => a.id - b.id)
        .map((u) => [String(u.id), u.email, u.name, u.role, u.authority_code ?? '-', u.disabled ? 'yes' : 'no'])
      io.out(formatTable(['id', 'email', 'name', 'role', 'authority', 'disabled'], rows))
      return 0
    })
  },
})

export const userDisable = defineCommand({
  name: 'user disable',
  summary: 'Disable a user account: it can no longer sign in, its sessions end and its API tokens stop working.',
  options: {
    email: { type: 'string', value: 'E', help: 'E-mail address of the account.', required: true },
  },
  examples: ['cyswllt user disable --email someone@example.gov.wales'],
  async run(values, io) {
    return withServices(io, async (services) => {
      const user = await services.users.disableByEmail(systemActor('cli'), values.email)
      io.out(`Disabled user ${user.id}: ${user.email}.`)
      return 0
    })
  },
})
