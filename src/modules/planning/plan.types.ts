/**
 * The programme planner's contract: what `cyswllt plan --input FILE.json` and `POST /api/v1/plan`
 * take and give. These names and shapes are used by automated checks: keep them.
 */

/** `2025-2026/spring`: the academic year, then the season. */
export type TermKey = string

export interface PlanTerm {
  key: TermKey
  /** ISO dates. */
  start: string
  end: string
}

export interface PlanAuthority {
  gssCode: string
  /** May lie before the first listed term: distances count three terms per academic year. Null when none is recorded. */
  coreInspectionTerm: TermKey | null
  /** ELVs of this cycle already done (or otherwise not for planning). */
  elvsDone: number
  welshMedium: boolean
}

export interface PlanInspector {
  id: string
  kind: 'hmi' | 'peer'
  /** A peer inspector's own authority (never on its ELVs); null for HMI. */
  authority: string | null
  welsh: boolean
  /** Authorities this inspector is the link inspector of. */
  linkFor: string[]
  maxElvsPerTerm: number
  unavailable: TermKey[]
  /** Authorities this inspector has declared a conflict of interest with (optional; Cyswllt passes them). */
  avoid?: string[]
}

export interface PlanRules {
  elvsPerAuthority: number
  maxElvsPerTerm: number
  /** An authority's two ELVs are at least this many terms apart. */
  minTermsBetweenElvs: number
  /** No ELV within this many terms of the authority's core inspection, either side. */
  minTermsFromCoreInspection: number
  teamSize: number
  maxPeersPerTeam: number
  /** The authority's link inspector leads its ELV whenever they are available that term. */
  leadIsLinkInspector: boolean
  welshSpeakersForWelshMedium: number
}

export const DEFAULT_RULES: PlanRules = {
  elvsPerAuthority: 2,
  maxElvsPerTerm: 4,
  minTermsBetweenElvs: 4,
  minTermsFromCoreInspection: 2,
  teamSize: 3,
  maxPeersPerTeam: 1,
  leadIsLinkInspector: true,
  welshSpeakersForWelshMedium: 2,
}

/**
 * An ELV the planner must plan around and may not move: already notified or later (Cyswllt's own
 * planning passes these; the command's input may too). It fills its term, its team's load, and
 * spaces the authority's other ELVs. It is not counted in `elvsDone`.
 */
export interface FixedVisit {
  gssCode: string
  ordinal: number
  term: TermKey
  lead: string | null
  team: string[]
}

export interface PlanInput {
  terms: PlanTerm[]
  firstTerm: TermKey
  authorities: PlanAuthority[]
  inspectors: PlanInspector[]
  rules: PlanRules
  fixed: FixedVisit[]
}

/** What arrives: `rules` may be partial and `fixed` absent. */
export type PlanRequest = Omit<PlanInput, 'rules' | 'fixed'> & { rules?: Partial<PlanRules>; fixed?: FixedVisit[] }

export type RuleName = keyof PlanRules | 'termOrder' | 'inspectorAvailability' | 'peerOwnAuthority' | 'conflictOfInterest' | 'inspectorMaxElvsPerTerm'

export interface PlannedVisit {
  gssCode: string
  ordinal: number
  term: TermKey
  /** The start date of the term before the visit's term. */
  notifyBy: string
  lead: string
  /** Includes the lead. */
  team: string[]
}

export interface PlanConflict {
  rule: RuleName
  message: string
}

export type PlanStatus = 'optimal' | 'feasible' | 'infeasible'

export interface PlanOutput {
  status: PlanStatus
  /** The ELVs the planner placed (not the fixed ones), by term then authority. */
  visits: PlannedVisit[]
  /** Over the whole plan, fixed ELVs included. */
  load: { maxElvsInATerm: number; maxElvsPerInspector: number }
  /** Why no plan exists (infeasible), each naming a rule; empty when a plan was found. */
  conflicts: PlanConflict[]
  /** How the answer was reached: solver time, lower bounds, and whether each objective is proven. */
  solver: {
    seconds: number
    /** Proven lower bounds of the two balanced loads. */
    bounds: { maxElvsInATerm: number; maxElvsPerInspector: number }
    /** Relative gap of the weighted objective to its bound (0 when proven optimal). */
    gap: number
  }
}
