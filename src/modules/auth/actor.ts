import type { Role } from '../../db/schema.ts'

/** Who is asking: every service call and every scoped query takes one. */
export interface UserActor {
  kind: 'user'
  id: number
  name: string
  email: string
  role: Role
  /** Set for `peer` and `la` users: the authority they belong to (GSS code). */
  authorityCode: string | null
}

/** The app itself or an operator at the command line: seeding, migrations, the `cyswllt` command. */
export interface SystemActor {
  kind: 'system'
  label: string
}

export type Actor = UserActor | SystemActor

export const systemActor = (label = 'system'): SystemActor => ({ kind: 'system', label })

export function actorLabel(actor: Actor): string {
  return actor.kind === 'system' ? actor.label : `${actor.name} <${actor.email}>`
}
