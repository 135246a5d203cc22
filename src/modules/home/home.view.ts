import type { Translate } from '../../i18n/catalogue.ts'
import type { UserActor } from '../auth/actor.ts'
import { can } from '../auth/permissions.ts'
import { paths } from '../../http/paths.ts'

/** The links on a user's home page: what their role lets them do. */
export function homeTasks(actor: UserActor, t: Translate): Array<{ title: string; href: string; hint: string }> {
  const tasks: Array<{ title: string; href: string; hint: string }> = []
  if (can(actor, 'admin:users')) tasks.push({ title: t('home.task.users'), href: paths.users(), hint: t('home.task.usersHint') })
  if (can(actor, 'admin:reference')) {
    tasks.push({ title: t('home.task.authorities'), href: paths.authorities(), hint: t('home.task.authoritiesHint') })
    tasks.push({ title: t('home.task.terms'), href: paths.terms(), hint: t('home.task.termsHint') })
    tasks.push({ title: t('home.task.frameworks'), href: paths.frameworks(), hint: t('home.task.frameworksHint') })
  }
  if (can(actor, 'visits:plan')) tasks.push({ title: t('home.task.outbox'), href: paths.outbox(), hint: t('home.task.outboxHint') })
  if (can(actor, 'admin:audit')) tasks.push({ title: t('home.task.audit'), href: paths.audit(), hint: t('home.task.auditHint') })
  // Anyone who may serve on a team declares their own conflicts of interest.
  if (actor.role !== 'la') tasks.push({ title: t('home.task.conflicts'), href: '/account/conflicts', hint: t('home.task.conflictsHint') })
  if (can(actor, 'admin:welsh')) tasks.push({ title: t('home.task.welshReview'), href: paths.welshReview(), hint: t('home.task.welshReviewHint') })
  return tasks
}
