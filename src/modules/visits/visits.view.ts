import type { ElvState, Term } from '../../db/schema.ts'
import type { Translate } from '../../i18n/catalogue.ts'
import { paths } from '../../http/paths.ts'
import type { ElvView } from './visits.service.ts'

/** GOV.UK tag colours by state, so a list of ELVs reads at a glance. */
const STATE_COLOUR: Record<ElvState, string> = {
  planned: 'grey', notified: 'light-blue', focus_agreed: 'blue', prepared: 'turquoise', fieldwork: 'purple',
  drafting: 'pink', quality_assurance: 'orange', issued: 'green', closed: 'grey', postponed: 'yellow', cancelled: 'red',
}

export function stateTag(state: ElvState, t: Translate) {
  return { text: t(`visits.state.${state}`), classes: `govuk-tag--${STATE_COLOUR[state]}` }
}

export function termLabel(termKey: string, terms: readonly Term[], t: Translate): string {
  const term = terms.find((x) => x.key === termKey)
  return term ? `${t(`visits.season.${term.season}`)} ${term.academic_year}` : termKey
}

export function authorityName(elv: Pick<ElvView, 'authority_name_en' | 'authority_name_cy'>, lang: string): string {
  return lang === 'cy' ? elv.authority_name_cy : elv.authority_name_en
}

export type ElvTab = 'overview' | 'focus-areas' | 'team' | 'timetable' | 'preparation' | 'documents' | 'evidence' | 'findings' | 'matrix' | 'letter' | 'history'

/** The sections of an ELV's pages, as links (no JavaScript needed). */
export function elvTabs(elvId: number, current: ElvTab, t: Translate) {
  const tabs: Array<{ tab: ElvTab; href: string; key?: string; inspectorateOnly?: boolean }> = [
    { tab: 'overview', href: paths.elv(elvId) },
    { tab: 'focus-areas', href: paths.elvTab(elvId, 'focus-areas') },
    { tab: 'team', href: paths.elvTab(elvId, 'team') },
    { tab: 'timetable', href: paths.elvTab(elvId, 'timetable') },
    // Preparation shows the inspectorate's own intelligence: not for the authority.
    { tab: 'preparation', href: paths.elvTab(elvId, 'preparation'), inspectorateOnly: true },
    // The documents page's words live with the rest of it, under visits.documents.
    { tab: 'documents', href: paths.elvTab(elvId, 'documents'), key: 'visits.documents.tab' },
    // The evidence log, findings and matrix are the team's working record: the authority sees only its own documents.
    { tab: 'evidence', href: paths.elvTab(elvId, 'evidence'), inspectorateOnly: true },
    { tab: 'findings', href: paths.elvTab(elvId, 'findings'), inspectorateOnly: true },
    { tab: 'matrix', href: paths.elvTab(elvId, 'matrix'), inspectorateOnly: true },
    // A draft letter is the inspectorate's until it is issued; the authority reads the issued letter on its Documents tab.
    { tab: 'letter', href: paths.elvTab(elvId, 'letter'), inspectorateOnly: true },
    // The audit trail names the team's notes, findings and declared conflicts: the inspectorate's too.
    { tab: 'history', href: paths.elvTab(elvId, 'history'), inspectorateOnly: true },
  ]
  return tabs.map((x) => ({ text: t(x.key ?? `visits.tab.${x.tab}`), href: x.href, current: x.tab === current, inspectorateOnly: x.inspectorateOnly ?? false }))
}

/** The summary rows of an ELV for govukSummaryList. */
export function elvSummaryRows(elv: ElvView, terms: readonly Term[], t: Translate, lang: string, formatDate: (d: string) => string) {
  const row = (key: string, text: string) => ({ key: { text: t(key) }, value: { text } })
  const rows = [
    row('visits.field.authority', authorityName(elv, lang)),
    row('visits.field.ordinal', t(`visits.ordinal.${elv.ordinal}`)),
    row('visits.field.term', termLabel(elv.term_key, terms, t)),
    row('visits.field.visitDays', elv.visit_day1 && elv.visit_day2 ? `${formatDate(elv.visit_day1)}, ${formatDate(elv.visit_day2)}` : t('common.notSet')),
    row('visits.field.notifyBy', elv.notifyBy ? formatDate(elv.notifyBy) : t('visits.notifyByNone')),
    row('visits.field.notifiedAt', elv.notified_at ? formatDate(elv.notified_at) : t('visits.notYetNotified')),
  ]
  if (elv.late_notification_reason) rows.push(row('visits.field.lateReason', elv.late_notification_reason))
  if (elv.state_reason) rows.push(row('visits.field.stateReason', elv.state_reason))
  return rows
}
