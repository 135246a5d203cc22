import type { Role } from '../../db/schema.ts'
import type { Actor } from './actor.ts'

/** What a route may require. Declared where the route is attached; granted by role here only. */
export type Permission =
  | 'signed-in'
  | 'admin:users'
  | 'admin:reference'
  | 'admin:audit'
  /** See the Welsh strings still awaiting a Welsh speaker's review. */
  | 'admin:welsh'
  | 'reference:read'

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['signed-in', 'admin:users', 'admin:reference', 'admin:audit', 'admin:welsh', 'reference:read'],
  reviewer: ['signed-in', 'admin:welsh', 'reference:read'],
  hmi: ['signed-in', 'reference:read'],
  peer: ['signed-in', 'reference:read'],
  la: ['signed-in', 'reference:read'],
}

export function can(actor: Actor | undefined, permission: Permission): boolean {
  if (!actor) return false
  if (actor.kind === 'system') return true
  return GRANTS[actor.role].includes(permission)
}
