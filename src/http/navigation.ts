import type { Translate } from '../i18n/catalogue.ts'
import type { UserActor } from '../modules/auth/actor.ts'
import { can, type Permission } from '../modules/auth/permissions.ts'
import { paths } from './paths.ts'

interface NavEntry { key: string; href: string; permission: Permission }

// Service navigation, in order; each entry shows only to those who may use it.
const ENTRIES: NavEntry[] = [
  { key: 'nav.home', href: paths.home(), permission: 'signed-in' },
  { key: 'nav.visits', href: paths.elvs(), permission: 'visits:read' },
  { key: 'planning.programme.nav', href: paths.programme(), permission: 'programme:read' },
  { key: 'nav.search', href: paths.search(), permission: 'visits:read' },
  { key: 'nav.lettersInReview', href: paths.lettersInReview(), permission: 'letters:review' },
  { key: 'insights.page.nav', href: paths.insights(), permission: 'insights:read' },
  { key: 'nav.users', href: paths.users(), permission: 'admin:users' },
  { key: 'nav.reference', href: paths.authorities(), permission: 'admin:reference' },
  { key: 'nav.audit', href: paths.audit(), permission: 'admin:audit' },
]

export function navigationFor(actor: UserActor | undefined, currentPath: string, t: Translate) {
  if (!actor) return []
  const path = currentPath.split('?')[0] ?? '/'
  const visible = ENTRIES.filter((e) => can(actor, e.permission))
  // The longest matching prefix is the active section ("/admin/users/3" is under Users).
  const active = visible.filter((e) => path === e.href || (e.href !== '/' && path.startsWith(e.href)))
    .sort((a, b) => b.href.length - a.href.length)[0]
  const referencePaths = [paths.authorities(), paths.terms(), paths.frameworks(), paths.themes(), paths.triangulationSettings()]
  return visible.map((e) => ({
    text: t(e.key),
    href: e.href,
    active: e === active || (e.key === 'nav.reference' && referencePaths.some((p) => path.startsWith(p))),
  }))
}
