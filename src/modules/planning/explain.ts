import type { Params, Translate } from '../../i18n/catalogue.ts'
import { prepare, type Relaxed } from './prepare.ts'
import type { PlanInput, RuleName } from './plan.types.ts'
import { termDistance } from './terms.ts'

export interface Conflict {
  rule: RuleName
  key: string
  params: Params
  message: string
}

/** The rules that the planner may leave out one at a time to find which cannot be kept together. */
const RELAXABLE: RuleName[] = [
  'maxElvsPerTerm', 'minTermsBetweenElvs', 'minTermsFromCoreInspection', 'termOrder', 'welshSpeakersForWelshMedium',
  'leadIsLinkInspector', 'maxPeersPerTeam', 'inspectorMaxElvsPerTerm', 'inspectorAvailability', 'peerOwnAuthority', 'conflictOfInterest',
]

/**
 * Says why no plan exists. First the counting arguments a person would make ("44 ELVs need places
 * but 4 per term over 9 open terms gives 36"); when none of them explains it, the rules are left
 * out one at a time (a deletion filter) until what remains is a smallest set that cannot be kept
 * together, and those are named.
 */
export async function explainInfeasible(
  input: PlanInput,
  feasible: (relaxed: Relaxed) => Promise<boolean | undefined>,
  t: Translate,
): Promise<Conflict[]> {
  const found = countingArguments(input).map((c) => ({ ...c, message: t(`planning.infeasible.${c.key}`, c.params) }))
  if (found.length) return found

  const enforced = new Set(RELAXABLE)
  const relaxed = new Set<RuleName>()
  for (const rule of RELAXABLE) {
    relaxed.add(rule)
    // Still no plan without this rule: it is not needed to explain the conflict, so leave it out for good.
    if ((await feasible(relaxed)) === false) enforced.delete(rule)
    else relaxed.delete(rule)
  }
  const names = [...enforced]
  if (!names.length) {
    return [{ rule: 'teamSize', key: 'unexplained', params: {}, message: t('planning.infeasible.unexplained') }]
  }
  const label = (r: RuleName) => t(`planning.ruleName.${r}`)
  return names.map((rule) => {
    const others = names.filter((r) => r !== rule).map(label).join('; ')
    const key = others ? 'together' : 'alone'
    const params = { rule: label(rule), others }
    return { rule, key, params, message: t(`planning.infeasible.${key}`, params) }
  })
}

type Found = Omit<Conflict, 'message'>

function countingArguments(input: PlanInput): Found[] {
  const { rules, terms } = input
  const prep = prepare(input, new Set())
  const found: Found[] = []
  const open = prep.open
  const first = terms[open[0] ?? 0]?.key ?? input.firstTerm
  const last = terms[open[open.length - 1] ?? 0]?.key ?? input.firstTerm

  const fixedInOpen = open.reduce((n, i) => n + prep.fixedPerTerm[i]!, 0)
  const needed = prep.newVisits + fixedInOpen
  const places = rules.maxElvsPerTerm * open.length
  if (needed > places) {
    found.push({ rule: 'maxElvsPerTerm', key: 'capacity', params: { needed, max: rules.maxElvsPerTerm, terms: open.length, places, first, last } })
  }

  prep.authorities.forEach((a, ai) => {
    if (a.need === 0) return
    const source = input.authorities[ai]!
    const core = source.coreInspectionTerm
    const fixed = input.fixed.filter((f) => f.gssCode === a.gssCode)
    const spacedFromFixed = open.filter((i) => !fixed.some((f) => termDistance(terms[i]!.key, f.term) < rules.minTermsBetweenElvs))
    const outsideCore = (i: number) => !core || termDistance(terms[i]!.key, core) > rules.minTermsFromCoreInspection
    const fits = (candidates: number[]) => greedyFit(candidates, prep.termNumber, rules.minTermsBetweenElvs) >= a.need
    const params = { authority: a.gssCode, need: a.need, required: rules.minTermsBetweenElvs, core: core ?? '', coreRequired: rules.minTermsFromCoreInspection, first, last, terms: open.length }
    if (!fits(spacedFromFixed.filter(outsideCore))) {
      if (fits(spacedFromFixed)) found.push({ rule: 'minTermsFromCoreInspection', key: 'nearCore', params })
      else if (a.need > 1 || fixed.length) found.push({ rule: 'minTermsBetweenElvs', key: 'spacing', params })
      else found.push({ rule: 'termOrder', key: 'noTermLeft', params })
      return
    }
    const candidates = a.allowed
    if (!candidates.length) return
    const most = (pick: (i: number) => boolean) => Math.max(0, ...candidates.map((t) => prep.eligible(ai, t).filter(pick).length))
    const anyone = most(() => true)
    if (anyone < rules.teamSize) {
      found.push({ rule: 'teamSize', key: 'teamTooBig', params: { authority: a.gssCode, teamSize: rules.teamSize, count: anyone } })
      return
    }
    const hmis = most((i) => prep.inspectors[i]!.kind === 'hmi')
    if (hmis < rules.teamSize - rules.maxPeersPerTeam) {
      found.push({ rule: 'maxPeersPerTeam', key: 'tooFewHmi', params: { authority: a.gssCode, teamSize: rules.teamSize, maxPeers: rules.maxPeersPerTeam, needed: rules.teamSize - rules.maxPeersPerTeam, count: hmis } })
    }
    if (a.welshMedium) {
      const welsh = most((i) => prep.inspectors[i]!.welsh)
      if (welsh < rules.welshSpeakersForWelshMedium) {
        found.push({ rule: 'welshSpeakersForWelshMedium', key: 'tooFewWelsh', params: { authority: a.gssCode, required: rules.welshSpeakersForWelshMedium, count: welsh } })
      }
    }
  })

  const slots = prep.newVisits * rules.teamSize
  const room = prep.inspectors.reduce((n, _, i) => n + open.reduce((m, t) => m + prep.capacity(i, t), 0), 0)
  if (slots > room) found.push({ rule: 'inspectorMaxElvsPerTerm', key: 'inspectorPlaces', params: { slots, places: room, visits: prep.newVisits, teamSize: rules.teamSize } })
  return found
}

/** How many ELVs fit in these terms (indices, ascending) at least `gap` terms apart: taking the earliest each time is best. */
function greedyFit(candidates: number[], numbers: number[], gap: number): number {
  let count = 0
  let last = -Infinity
  for (const i of candidates) {
    if (numbers[i]! - last >= gap) {
      count++
      last = numbers[i]!
    }
  }
  return count
}
