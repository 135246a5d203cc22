import { describe, expect, it } from 'vitest'
import type { ElvState, Role, Term } from '../../db/schema.ts'
import { dashboardView, type DashboardInput } from './dashboard.view.ts'
import type { ElvView } from './visits.service.ts'

const t = (key: string, params?: Record<string, string | number>) => (params ? `[${key} ${JSON.stringify(params)}]` : `[${key}]`)

const term = (key: string, season: Term['season'], starts_on: string, ends_on: string): Term => ({
  key, academic_year: key.split('/')[0]!, season, starts_on, ends_on, version: 1, updated_at: '',
})
const TERMS = [
  // Out of order on purpose: the view orders by start date, not by the list it is given.
  term('2026-2027/spring', 'spring', '2027-01-04', '2027-03-26'),
  term('2026-2027/autumn', 'autumn', '2026-09-01', '2026-12-18'),
  term('2025-2026/summer', 'summer', '2026-04-13', '2026-07-17'),
  term('2027-2028/autumn', 'autumn', '2027-09-01', '2027-12-17'),
]

let nextId = 1
function elv(authority: [string, string, string], termKey: string, o: { state?: ElvState; notifyBy?: string | null; ordinal?: number } = {}): ElvView {
  return {
    id: nextId++, authority_code: authority[0], authority_name_en: authority[1], authority_name_cy: authority[2], cycle: '2024-2030',
    ordinal: o.ordinal ?? 1, term_key: termKey, visit_day1: null, visit_day2: null, state: o.state ?? 'planned', state_reason: null,
    notified_at: null, notified_by: null, late_notification_reason: null, focus_count_reason: null, version: 1, created_at: '', updated_at: '',
    notifyBy: o.notifyBy === undefined ? null : o.notifyBy, lateNotification: false,
  }
}
const CARDIFF: [string, string, string] = ['W06000015', 'Cardiff', 'Caerdydd']
const POWYS: [string, string, string] = ['W06000023', 'Powys', 'Powys']
const SWANSEA: [string, string, string] = ['W06000011', 'Swansea', 'Abertawe']

const cardiffSpring = elv(CARDIFF, '2026-2027/spring', { notifyBy: '2026-09-01' })
const powysAutumn = elv(POWYS, '2026-2027/autumn', { notifyBy: '2026-04-13' })
const swanseaLater = elv(SWANSEA, '2027-2028/autumn', { notifyBy: '2027-04-12', ordinal: 2 })
const swanseaNotified = elv(SWANSEA, '2026-2027/spring', { state: 'notified', notifyBy: '2026-09-01' })
const cardiffFirstTerm = elv(CARDIFF, '2025-2026/summer', { state: 'fieldwork', notifyBy: null, ordinal: 2 })
const ALL = [cardiffSpring, powysAutumn, swanseaLater, swanseaNotified, cardiffFirstTerm]

const input = (role: Role, o: Partial<DashboardInput> = {}): DashboardInput => ({
  role, authorityCode: null, elvs: ALL, terms: TERMS, today: '2026-08-10',
  involvement: { teamElvIds: new Set(), linkAuthorities: new Set() }, ...o,
})

describe('dashboardView', () => {
  it('gives each role its own sections', () => {
    const sections = (role: Role) => Object.keys(dashboardView(input(role), t, 'en')).sort()
    expect(sections('admin')).toEqual(['cycle', 'fallingDue'])
    expect(sections('reviewer')).toEqual(['fallingDue'])
    expect(sections('hmi')).toEqual(['fallingDue', 'mine'])
    expect(sections('peer')).toEqual(['mine'])
    expect(sections('la')).toEqual(['mine'])
  })

  it('lists as an HMI’s own the ELVs whose team they are on and those of authorities they are link inspector of', () => {
    const d = dashboardView(input('hmi', { involvement: { teamElvIds: new Set([swanseaLater.id]), linkAuthorities: new Set(['W06000015']) } }), t, 'en')
    // Ordered by term start: summer 2026, spring 2027, autumn 2027.
    expect(d.mine!.rows.map((r) => r.id)).toEqual([cardiffFirstTerm.id, cardiffSpring.id, swanseaLater.id])
    expect(d.mine!.heading).toBe('[visits.dashboard.mine]')
    const first = d.mine!.rows[0]!
    expect(first).toMatchObject({
      href: `/elvs/${cardiffFirstTerm.id}`, authority: 'Cardiff', term: '[visits.season.summer] 2025-2026', ordinal: '[visits.ordinal.2]',
      state: { text: '[visits.state.fieldwork]', classes: 'govuk-tag--purple' }, next: '[visits.next.fieldwork]',
    })
  })

  it('shows a helpful empty state to an HMI or peer with no visits of their own', () => {
    expect(dashboardView(input('hmi'), t, 'en').mine).toEqual({ heading: '[visits.dashboard.mine]', empty: '[visits.dashboard.mineEmpty.hmi]', rows: [] })
    expect(dashboardView(input('peer'), t, 'en').mine!.empty).toBe('[visits.dashboard.mineEmpty.peer]')
  })

  it('shows an authority user only their own authority’s ELVs, in their language', () => {
    const d = dashboardView(input('la', { authorityCode: 'W06000011' }), t, 'cy')
    expect(d.mine!.heading).toBe('[visits.dashboard.mineAuthority]')
    expect(d.mine!.rows.map((r) => r.id)).toEqual([swanseaNotified.id, swanseaLater.id])
    expect(d.mine!.rows.map((r) => r.authority)).toEqual(['Abertawe', 'Abertawe'])
    expect(dashboardView(input('la', { authorityCode: 'W06000001' }), t, 'en').mine).toMatchObject({ rows: [], empty: '[visits.dashboard.mineEmpty.la]' })
  })

  it('lists planned ELVs by the date their notification is due, flagging late and soon ones', () => {
    const due = dashboardView(input('admin'), t, 'en').fallingDue!
    // Not notified ones only; the one with no earlier term to give notice in would go last.
    expect(due.map((r) => [r.authority, r.notifyBy, r.late, r.dueSoon])).toEqual([
      ['Powys', '2026-04-13', true, false],
      ['Cardiff', '2026-09-01', false, true],
      ['Swansea', '2027-04-12', false, false],
    ])
  })

  it('counts a notification due today as due soon, not late; the day after, late', () => {
    const only = [elv(POWYS, '2026-2027/autumn', { notifyBy: '2026-09-01' })]
    expect(dashboardView(input('hmi', { elvs: only, today: '2026-09-01' }), t, 'en').fallingDue![0]).toMatchObject({ late: false, dueSoon: true })
    expect(dashboardView(input('hmi', { elvs: only, today: '2026-09-02' }), t, 'en').fallingDue![0]).toMatchObject({ late: true, dueSoon: false })
    // Exactly four weeks ahead is still "soon"; a day further is not.
    expect(dashboardView(input('hmi', { elvs: only, today: '2026-08-04' }), t, 'en').fallingDue![0]).toMatchObject({ dueSoon: true })
    expect(dashboardView(input('hmi', { elvs: only, today: '2026-08-03' }), t, 'en').fallingDue![0]).toMatchObject({ dueSoon: false })
    const none = [elv(POWYS, '2025-2026/summer', { notifyBy: null })]
    expect(dashboardView(input('hmi', { elvs: none }), t, 'en').fallingDue![0]).toMatchObject({ notifyBy: null, late: false, dueSoon: false })
  })

  it('gives admins every ELV in the cycle grouped by term in date order', () => {
    const cycle = dashboardView(input('admin'), t, 'en').cycle!
    expect(cycle.map((g) => g.termKey)).toEqual(['2025-2026/summer', '2026-2027/autumn', '2026-2027/spring', '2027-2028/autumn'])
    expect(cycle[2]!.rows.map((r) => r.authority)).toEqual(['Cardiff', 'Swansea'])
    expect(cycle[2]!.term).toBe('[visits.season.spring] 2026-2027')
    expect(cycle.flatMap((g) => g.rows).length).toBe(ALL.length)
    expect(dashboardView(input('admin', { elvs: [] }), t, 'en')).toEqual({ fallingDue: [], cycle: [] })
  })
})
