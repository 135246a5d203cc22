/** Typed path helpers: routes and templates build URLs the same way. */
export const paths = {
  home: () => '/',
  signIn: () => '/sign-in',
  signOut: () => '/sign-out',
  language: (lang: 'en' | 'cy') => `/language/${lang}`,
  admin: () => '/admin',
  users: () => '/admin/users',
  newUser: () => '/admin/users/new',
  user: (id: number) => `/admin/users/${id}`,
  resetPassword: (id: number) => `/admin/users/${id}/reset-password`,
  authorities: () => '/admin/authorities',
  authority: (gss: string) => `/admin/authorities/${encodeURIComponent(gss)}`,
  terms: () => '/admin/terms',
  term: (key: string) => `/admin/terms/${key.split('/').map(encodeURIComponent).join('/')}`,
  frameworks: () => '/admin/frameworks',
  framework: (key: string) => `/admin/frameworks/${encodeURIComponent(key)}`,
  audit: () => '/admin/audit',
  welshReview: () => '/admin/welsh-review',
  elvs: () => '/elvs',
  newElv: () => '/elvs/new',
  elv: (id: number) => `/elvs/${id}`,
  elvTab: (id: number, tab: 'focus-areas' | 'team' | 'timetable' | 'history' | 'preparation' | 'documents' | 'evidence' | 'findings' | 'matrix' | 'letter' | 'notification') => `/elvs/${id}/${tab}`,
  elvTransition: (id: number) => `/elvs/${id}/transition`,
  elvVisitDays: (id: number) => `/elvs/${id}/visit-days`,
  outbox: () => '/admin/outbox',
  authorityPage: (gss: string) => `/authorities/${encodeURIComponent(gss)}`,
  providersImport: () => '/admin/providers/import',
  evidenceItem: (elvId: number, id: number) => `/elvs/${elvId}/evidence/${id}`,
  newEvidence: (elvId: number) => `/elvs/${elvId}/evidence/new`,
  evidenceFile: (evidenceId: number, fileId: number) => `/evidence/${evidenceId}/files/${fileId}`,
  search: () => '/search',
  themes: () => '/admin/themes',
  triangulationSettings: () => '/admin/triangulation',
  writingRules: () => '/admin/writing-rules',
  lettersInReview: () => '/letters/review',
  letterhead: () => '/admin/letterhead',
  programme: () => '/programme',
  proposals: () => '/programme/proposals',
  proposal: (id: number) => `/programme/proposals/${id}`,
  acceptProposal: (id: number) => `/programme/proposals/${id}/accept`,
  moveElv: (id: number) => `/elvs/${id}/move`,
  planningRules: () => '/admin/planning-rules',
  userPlanning: (id: number) => `/admin/users/${id}/planning`,
  coreInspections: () => '/admin/core-inspections',
  coreInspectionsImport: () => '/admin/core-inspections/import',
  coreInspectionsSchema: () => '/admin/core-inspections/import/schema.json',
  newCoreInspection: () => '/admin/core-inspections/new',
  coreInspection: (id: number) => `/admin/core-inspections/${id}`,
  coreInspectionDetails: (id: number) => `/admin/core-inspections/${id}/details`,
  /** A row of one part of an inspection (`new` to add one), and the page confirming its removal. */
  coreInspectionRow: (id: number, part: 'recommendations' | 'findings' | 'effective-practice', row: number | 'new') => `/admin/core-inspections/${id}/${part}/${row}`,
  coreInspectionRowRemove: (id: number, part: 'recommendations' | 'findings' | 'effective-practice', row: number) => `/admin/core-inspections/${id}/${part}/${row}/remove`,
  insights: () => '/insights',
  /** The Early Insights summary of an academic year (`2023-2024`) or a range (`2021-2022..2023-2024`). */
  insightsSummary: (year: string) => `/insights/${encodeURIComponent(year)}`,
  insightsDownload: (year: string, format: 'html' | 'docx' | 'pdf', lang: 'en' | 'cy') => `/insights/${encodeURIComponent(year)}/summary.${format}?lang=${lang}`,
  /** The form rewording one point (its key is the summary's `area|kind|theme`), in one language. */
  insightsPoint: (year: string, key: string, lang: 'en' | 'cy') => `/insights/${encodeURIComponent(year)}/point?key=${encodeURIComponent(key)}&lang=${lang}`,
  insightsPublish: (year: string) => `/insights/${encodeURIComponent(year)}/publish`,
} as const

/** Only a path on this site may be a place to return to: never another host (open redirect). */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/'
  // The language switch and sign-in must not send people back to themselves.
  if (value.startsWith('/language/') || value.startsWith('/sign-in') || value.startsWith('/sign-out')) return '/'
  return value
}
