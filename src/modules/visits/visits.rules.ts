import type { ElvState, Term } from '../../db/schema.ts'
import type { ErrorDetail } from '../../http/errors.ts'
import { textStart } from '../findings/findings.rules.ts'

/** The 2024-2030 inspection cycle: every ELV in it belongs to this cycle. */
export const CURRENT_CYCLE = '2024-2030'
export const ELVS_PER_AUTHORITY = 2
export const USUAL_FOCUS_AREAS = 2

/** Where each state may go next (DESIGN.md section 2). Postponed and cancelled always need a reason. */
export const NEXT_STATES: Record<ElvState, readonly ElvState[]> = {
  planned: ['notified', 'postponed', 'cancelled'],
  notified: ['focus_agreed', 'postponed', 'cancelled'],
  focus_agreed: ['prepared', 'postponed', 'cancelled'],
  prepared: ['fieldwork', 'postponed', 'cancelled'],
  fieldwork: ['drafting', 'cancelled'],
  drafting: ['quality_assurance', 'cancelled'],
  quality_assurance: ['drafting', 'issued'],
  issued: ['closed'],
  closed: [],
  postponed: ['planned', 'cancelled'],
  cancelled: [],
}

/** States whose transition rules arrive with later capabilities (letters). */
const NOT_YET_AVAILABLE: readonly ElvState[] = ['closed']

/** What the rules need to know about an ELV and what hangs off it, gathered by the service. */
export interface Readiness {
  state: ElvState
  termKey: string
  visitDays: [string | null, string | null]
  /** Focus areas still proposed (not withdrawn). */
  focusAreas: Array<{ id: number; title: string; inspectorateAgreed: boolean; authorityAgreed: boolean }>
  focusCountReason: string | null
  team: Array<{ userId: number; lead: boolean }>
  /** For each focus area id, how many meetings serve it. */
  meetingsPerFocusArea: Map<number, number>
  notifyBy: string | null
  /** Findings on the live focus areas, each secure or not by the threshold in force. */
  findings: Array<{ id: number; focusAreaId: number; focusAreaTitle: string; text: string; secure: boolean }>
}

export interface TransitionInput { to: ElvState; reason?: string | null }

const rule = (path: string, messageKey: string, params: Record<string, string | number> = {}): ErrorDetail => ({ path, messageKey, params })

/**
 * Every rule the move from r.state to `to` would break, today being `today` (YYYY-MM-DD).
 * An empty list means the move is allowed.
 */
export function unmetForTransition(r: Readiness, input: TransitionInput, today: string): ErrorDetail[] {
  const { to } = input
  const reason = input.reason?.trim() ?? ''
  if (!NEXT_STATES[r.state].includes(to)) {
    return [rule('to', 'visits.rule.notAllowedFrom', { from: `@visits.state.${r.state}`, to: `@visits.state.${to}` })]
  }
  if (NOT_YET_AVAILABLE.includes(to)) return [rule('to', 'visits.rule.notYetAvailable', { to: `@visits.state.${to}` })]
  // A visit is issued only by issuing its approved letter, which sends it and moves the visit in one step.
  if (to === 'issued') return [rule('to', 'visits.rule.issueThroughLetter')]
  const unmet: ErrorDetail[] = []
  switch (to) {
    case 'notified':
      // One term's notice: late notification is allowed only with a recorded reason.
      if (r.notifyBy && today > r.notifyBy && !reason) unmet.push(rule('reason', 'visits.rule.lateNeedsReason', { notifyBy: r.notifyBy }))
      break
    case 'focus_agreed': {
      const live = r.focusAreas
      if (live.length === 0) unmet.push(rule('focusAreas', 'visits.rule.noFocusAreas'))
      const notByAuthority = live.filter((f) => !f.authorityAgreed).length
      const notByInspectorate = live.filter((f) => !f.inspectorateAgreed).length
      if (notByAuthority) unmet.push(rule('focusAreas', 'visits.rule.notAgreedByAuthority', { count: notByAuthority }))
      if (notByInspectorate) unmet.push(rule('focusAreas', 'visits.rule.notAgreedByInspectorate', { count: notByInspectorate }))
      if (live.length > 0 && live.length !== USUAL_FOCUS_AREAS && !reason && !r.focusCountReason) {
        unmet.push(rule('reason', 'visits.rule.focusCountNeedsReason', { count: live.length }))
      }
      break
    }
    case 'prepared': {
      if (r.team.length === 0) unmet.push(rule('team', 'visits.rule.noTeam'))
      else if (r.team.filter((m) => m.lead).length !== 1) unmet.push(rule('team', 'visits.rule.oneLead'))
      for (const f of r.focusAreas) {
        if (!r.meetingsPerFocusArea.get(f.id)) unmet.push(rule('meetings', 'visits.rule.noMeetingForFocusArea', { title: f.title }))
      }
      break
    }
    case 'fieldwork':
      if (!r.visitDays[0] || !r.visitDays[1]) unmet.push(rule('visitDays', 'visits.rule.noVisitDates'))
      else if (today < r.visitDays[0]) unmet.push(rule('visitDays', 'visits.rule.fieldworkNotStarted', { day: r.visitDays[0] }))
      break
    case 'quality_assurance':
      // DESIGN.md section 7: only triangulated findings, and something said about every focus area, go to QA.
      for (const f of r.focusAreas) {
        const own = r.findings.filter((x) => x.focusAreaId === f.id)
        if (!own.length) unmet.push(rule('findings', 'visits.rule.noFindingForFocusArea', { title: f.title }))
        for (const x of own) {
          if (!x.secure) unmet.push(rule('findings', 'visits.rule.findingNotSecure', { title: f.title, text: textStart(x.text) }))
        }
      }
      break
    case 'postponed':
    case 'cancelled':
      if (!reason) unmet.push(rule('reason', 'visits.rule.reasonNeeded'))
      break
    default:
      break
  }
  return unmet
}

/**
 * The date by which the authority must be told: the first day of the term before the visit term.
 * Undefined when the visit term is the first the app knows (no earlier term to give notice in).
 */
export function notifyBy(visitTermKey: string, terms: readonly Term[]): string | undefined {
  const ordered = [...terms].sort((a, b) => a.starts_on.localeCompare(b.starts_on))
  const i = ordered.findIndex((t) => t.key === visitTermKey)
  return i > 0 ? ordered[i - 1]!.starts_on : undefined
}

/** The lowest ordinal (1 or 2) not yet taken by a live ELV of the authority, or undefined when both are. */
export function freeOrdinal(liveOrdinals: readonly number[]): number | undefined {
  for (let n = 1; n <= ELVS_PER_AUTHORITY; n++) if (!liveOrdinals.includes(n)) return n
  return undefined
}

/** What an ELV needs next, as a catalogue key: the dashboard's "next step" column. */
export function nextStepKey(state: ElvState): string {
  return `visits.next.${state}`
}
