import { systemActor } from '../modules/auth/actor.ts'
import { defineCommand, UsageError } from './command.ts'
import { withServices } from './context.ts'

export const tokenCreate = defineCommand({
  name: 'token create',
  summary: 'Create an API token for a user. Only the token is printed, on standard output, so it can be captured.',
  details: ['The token acts as that user, with their role, until it is revoked or the account is disabled. It is shown once: only a hash of it is kept.'],
  options: {
    email: { type: 'string', value: 'E', help: 'E-mail address of the user the token acts as.', required: true },
    label: { type: 'string', value: 'L', help: 'A note saying what the token is for.' },
  },
  examples: ['TOKEN=$(cyswllt token create --email reviewer@example.gov.wales --label "reporting script")'],
  async run(values, io) {
    return withServices(io, async (services) => {
      const { token } = await services.auth.createToken(systemActor('cli'), values.email, values.label)
      io.out(token)
      return 0
    })
  },
})

export const tokenRevoke = defineCommand({
  name: 'token revoke',
  summary: 'Revoke one API token, or every token of a user.',
  details: ['Give exactly one of --token and --email.'],
  options: {
    token: { type: 'string', value: 'T', help: 'The token to revoke.' },
    email: { type: 'string', value: 'E', help: 'Revoke every active token of the user with this e-mail address.' },
  },
  examples: ['cyswllt token revoke --email reviewer@example.gov.wales'],
  async run(values, io) {
    if ((values.token === undefined) === (values.email === undefined)) throw new UsageError('give exactly one of --token and --email')
    return withServices(io, async (services) => {
      const count = await services.auth.revokeTokens(systemActor('cli'), values.token !== undefined ? { token: values.token } : { email: values.email! })
      if (values.token !== undefined) {
        // A mistyped token must not look revoked: whoever holds the real one could still use it.
        if (count === 0) throw new UsageError('no active API token matches the one given: it was already revoked, or it is mistyped')
        io.out('Revoked 1 token.')
      } else {
        io.out(`Revoked ${count} ${count === 1 ? 'token' : 'tokens'} of ${values.email}.`)
      }
      return 0
    })
  },
})
