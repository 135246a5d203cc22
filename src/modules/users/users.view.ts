import { ROLES, type AppUser, type Language, type LocalAuthority, type Role } from '../../db/schema.ts'
import type { Translate } from '../../i18n/catalogue.ts'
import { formatDateTime } from '../../http/web.ts'
import { paths } from '../../http/paths.ts'

/** What the create and edit forms show in their fields: typed input on a re-render, stored values otherwise. */
export interface UserFormValues {
  email?: string
  name?: string
  role?: string
  authorityCode?: string
  disabled?: boolean
  version?: string
}

/** The list page's filter, read leniently from the query string: anything unknown means "any". */
export interface UserListFilter { q: string; role: Role | ''; authority: string; disabled: boolean }

// The GOV.UK table macro takes `html` cells as they are; names and e-mails are typed by people.
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

const firstString = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '')

export function readListFilter(query: Record<string, unknown>, authorities: LocalAuthority[]): UserListFilter {
  const role = firstString(query.role)
  const authority = firstString(query.authority)
  return {
    q: firstString(query.q).trim().slice(0, 100),
    role: (ROLES as readonly string[]).includes(role) ? (role as Role) : '',
    authority: authorities.some((a) => a.gss_code === authority) ? authority : '',
    disabled: firstString(query.disabled) !== '',
  }
}

export const authorityName = (a: LocalAuthority, lang: Language) => (lang === 'cy' ? a.name_cy : a.name_en)

/** Select items for the 22 authorities, by name in the reader's language, after a first "none"/"any" item. */
export function authorityItems(authorities: LocalAuthority[], lang: Language, first: string) {
  const sorted = [...authorities].sort((a, b) => authorityName(a, lang).localeCompare(authorityName(b, lang), lang === 'cy' ? 'cy' : 'en-GB'))
  return [{ value: '', text: first }, ...sorted.map((a) => ({ value: a.gss_code, text: authorityName(a, lang) }))]
}

export function roleFilterItems(t: Translate) {
  return [{ value: '', text: t('users.filter.anyRole') }, ...ROLES.map((r) => ({ value: r, text: t(`role.${r}`) }))]
}

/** Radio items for the role, each with a one-line hint on what the role may do. */
export function roleRadioItems(t: Translate) {
  return ROLES.map((r) => ({ value: r, text: t(`role.${r}`), hint: { text: t(`users.roleHint.${r}`) } }))
}

export function statusTagHtml(user: Pick<AppUser, 'disabled'>, t: Translate): string {
  return user.disabled
    ? `<strong class="govuk-tag govuk-tag--grey">${escapeHtml(t('users.status.disabled'))}</strong>`
    : `<strong class="govuk-tag govuk-tag--green">${escapeHtml(t('users.status.active'))}</strong>`
}

function authorityLabel(code: string | null, byCode: Map<string, LocalAuthority>, lang: Language, t: Translate): string {
  if (!code) return t('common.none')
  const a = byCode.get(code)
  return a ? authorityName(a, lang) : code
}

/** Rows for the users table: name (linking to the user's page), e-mail, role, authority, status. */
export function userTableRows(users: AppUser[], authorities: LocalAuthority[], lang: Language, t: Translate) {
  const byCode = new Map(authorities.map((a) => [a.gss_code, a]))
  return users.map((u) => [
    { html: `<a class="govuk-link" href="${paths.user(u.id)}">${escapeHtml(u.name)}</a>` },
    { text: u.email },
    { text: t(`role.${u.role}`) },
    { text: authorityLabel(u.authority_code, byCode, lang, t) },
    { html: statusTagHtml(u, t) },
  ])
}

/** The summary of one account at the top of its page. */
export function userSummaryRows(user: AppUser, authorities: LocalAuthority[], lang: Language, t: Translate) {
  const byCode = new Map(authorities.map((a) => [a.gss_code, a]))
  return [
    { key: { text: t('users.label.email') }, value: { text: user.email } },
    { key: { text: t('users.label.name') }, value: { text: user.name } },
    { key: { text: t('users.label.role') }, value: { text: t(`role.${user.role}`) } },
    { key: { text: t('users.label.authority') }, value: { text: authorityLabel(user.authority_code, byCode, lang, t) } },
    { key: { text: t('users.label.status') }, value: { html: statusTagHtml(user, t) } },
    { key: { text: t('users.label.created') }, value: { text: formatDateTime(user.created_at, lang) } },
  ]
}

/** The edit form's starting values: what is stored now. */
export function storedValues(user: AppUser): UserFormValues {
  return {
    name: user.name, role: user.role, authorityCode: user.authority_code ?? '',
    disabled: user.disabled === 1, version: String(user.version),
  }
}

/** The posted form as typed, to show it again after an error (never the password). */
export function typedValues(body: Record<string, unknown>): UserFormValues {
  return {
    email: firstString(body.email), name: firstString(body.name), role: firstString(body.role),
    authorityCode: firstString(body.authorityCode), disabled: firstString(body.disabled) !== '', version: firstString(body.version),
  }
}
