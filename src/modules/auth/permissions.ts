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
  /** See visits: each role sees only what the data layer lets it (an authority user, its own). */
  | 'visits:read'
  /** Plan new ELVs and see the outbox. */
  | 'visits:plan'
  /** See the whole cycle's programme: every authority's ELVs by term, the load and the planning rules' breaches. */
  | 'programme:read'
  /** Share documents the authority already has with a visit (its Documents tab), and download those the user may see. */
  | 'evidence:share'
  /** Review letters: the list of letters waiting for quality assurance. */
  | 'letters:review'
  /** Read the Early Insights summaries and download them. */
  | 'insights:read'
  /** Reword the points of an Early Insights summary and publish it (reviewers publish insights). */
  | 'insights:edit'

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['signed-in', 'admin:users', 'admin:reference', 'admin:audit', 'admin:welsh', 'reference:read', 'visits:read', 'visits:plan', 'programme:read', 'evidence:share', 'letters:review', 'insights:read', 'insights:edit'],
  reviewer: ['signed-in', 'admin:welsh', 'reference:read', 'visits:read', 'programme:read', 'evidence:share', 'letters:review', 'insights:read', 'insights:edit'],
  hmi: ['signed-in', 'reference:read', 'visits:read', 'programme:read', 'evidence:share', 'insights:read'],
  peer: ['signed-in', 'reference:read', 'visits:read', 'evidence:share'],
  la: ['signed-in', 'reference:read', 'visits:read', 'evidence:share'],
}

export function can(actor: Actor | undefined, permission: Permission): boolean {
  if (!actor) return false
  if (actor.kind === 'system') return true
  return GRANTS[actor.role].includes(permission)
}
