import type { Translate } from '../../i18n/catalogue.ts'
import type { UserActor } from '../auth/actor.ts'
import { can, type Permission } from '../auth/permissions.ts'
import { paths } from '../../http/paths.ts'

const SECTIONS: Array<{ key: string; href: string; permission: Permission }> = [
  { key: 'users', href: paths.users(), permission: 'admin:users' },
  { key: 'authorities', href: paths.authorities(), permission: 'admin:reference' },
  { key: 'terms', href: paths.terms(), permission: 'admin:reference' },
  { key: 'frameworks', href: paths.frameworks(), permission: 'admin:reference' },
  { key: 'themes', href: paths.themes(), permission: 'admin:reference' },
  { key: 'triangulation', href: paths.triangulationSettings(), permission: 'admin:reference' },
  { key: 'planningRules', href: paths.planningRules(), permission: 'admin:reference' },
  { key: 'writingRules', href: paths.writingRules(), permission: 'admin:reference' },
  { key: 'letterhead', href: paths.letterhead(), permission: 'admin:reference' },
  { key: 'providers', href: paths.providersImport(), permission: 'admin:reference' },
  { key: 'coreInspections', href: paths.coreInspections(), permission: 'admin:reference' },
  { key: 'outbox', href: paths.outbox(), permission: 'visits:plan' },
  { key: 'audit', href: paths.audit(), permission: 'admin:audit' },
  { key: 'welshReview', href: paths.welshReview(), permission: 'admin:welsh' },
]

/** The sections of the admin area the actor may use, in the order the index page lists them. */
export function adminSections(actor: UserActor, t: Translate): Array<{ title: string; hint: string; href: string }> {
  return SECTIONS.filter((s) => can(actor, s.permission))
    .map((s) => ({ title: t(`admin.section.${s.key}`), hint: t(`admin.section.${s.key}Hint`), href: s.href }))
}
