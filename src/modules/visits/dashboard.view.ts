import type { Role, Term } from '../../db/schema.ts'
import type { Translate } from '../../i18n/catalogue.ts'
import { paths } from '../../http/paths.ts'
import type { Involvement } from './dashboard.repository.ts'
import type { ElvView } from './visits.service.ts'
import { nextStepKey } from './visits.rules.ts'
import { authorityName, stateTag, termLabel } from './visits.view.ts'

/** A notification due this many days ahead or fewer is flagged as coming up. */
export const DUE_SOON_DAYS = 28

export interface DashboardInput {
  role: Role
  authorityCode: string | null
  /** Every ELV the actor may see (already scoped by the data layer). */
  elvs: readonly ElvView[]
  terms: readonly Term[]
  involvement: Involvement
  /** YYYY-MM-DD */
  today: string
}

export interface DashboardRow {
  id: number
  href: string
  authority: string
  term: string
  ordinal: string
  state: { text: string; classes: string }
  next: string
  visitDay1: string | null
  visitDay2: string | null
}

export interface DueRow extends DashboardRow {
  notifyBy: string | null
  late: boolean
  dueSoon: boolean
}

export interface Dashboard {
  /** Undefined when the role has no such section. */
  mine?: { heading: string; empty: string; rows: DashboardRow[] }
  fallingDue?: DueRow[]
  cycle?: Array<{ termKey: string; term: string; rows: DashboardRow[] }>
}

const SECTIONS: Record<Role, { mine: boolean; fallingDue: boolean; cycle: boolean }> = {
  admin: { mine: false, fallingDue: true, cycle: true },
  reviewer: { mine: false, fallingDue: true, cycle: false },
  hmi: { mine: true, fallingDue: true, cycle: false },
  peer: { mine: true, fallingDue: false, cycle: false },
  la: { mine: true, fallingDue: false, cycle: false },
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

/** The home page's sections for one role: what is theirs, what must be sent soon, and (admins) the whole cycle. */
export function dashboardView(input: DashboardInput, t: Translate, lang: string): Dashboard {
  const { role, elvs, terms, involvement, today } = input
  const order = new Map([...terms].sort((a, b) => a.starts_on.localeCompare(b.starts_on)).map((x, i) => [x.key, i]))
  const termIndex = (key: string) => order.get(key) ?? Number.MAX_SAFE_INTEGER
  const byTerm = (a: ElvView, b: ElvView) => termIndex(a.term_key) - termIndex(b.term_key) || a.authority_name_en.localeCompare(b.authority_name_en) || a.id - b.id

  const row = (e: ElvView): DashboardRow => ({
    id: e.id,
    href: paths.elv(e.id),
    authority: authorityName(e, lang),
    term: termLabel(e.term_key, terms, t),
    ordinal: t(`visits.ordinal.${e.ordinal}`),
    state: stateTag(e.state, t),
    next: t(nextStepKey(e.state)),
    visitDay1: e.visit_day1,
    visitDay2: e.visit_day2,
  })

  const sections = SECTIONS[role]
  const dashboard: Dashboard = {}

  if (sections.mine) {
    const mine = role === 'la'
      ? elvs.filter((e) => e.authority_code === input.authorityCode)
      : elvs.filter((e) => involvement.teamElvIds.has(e.id) || involvement.linkAuthorities.has(e.authority_code))
    dashboard.mine = {
      heading: t(role === 'la' ? 'visits.dashboard.mineAuthority' : 'visits.dashboard.mine'),
      empty: t(`visits.dashboard.mineEmpty.${role === 'la' ? 'la' : role === 'peer' ? 'peer' : 'hmi'}`),
      rows: [...mine].sort(byTerm).map(row),
    }
  }

  if (sections.fallingDue) {
    dashboard.fallingDue = elvs.filter((e) => e.state === 'planned')
      // Soonest first; an ELV with no earlier term to give notice in goes last.
      .sort((a, b) => (a.notifyBy ?? '9999').localeCompare(b.notifyBy ?? '9999') || byTerm(a, b))
      .map((e) => {
        const late = e.notifyBy !== null && today > e.notifyBy
        const dueSoon = e.notifyBy !== null && !late && daysBetween(today, e.notifyBy) <= DUE_SOON_DAYS
        return { ...row(e), notifyBy: e.notifyBy, late, dueSoon }
      })
  }

  if (sections.cycle) {
    const groups = new Map<string, DashboardRow[]>()
    for (const e of [...elvs].sort(byTerm)) {
      const list = groups.get(e.term_key) ?? []
      list.push(row(e))
      groups.set(e.term_key, list)
    }
    dashboard.cycle = [...groups].map(([termKey, rows]) => ({ termKey, term: termLabel(termKey, terms, t), rows }))
  }

  return dashboard
}
