import { afterEach, describe, expect, it, vi } from 'vitest'
import { parsePlanRequest } from '../../src/modules/planning/plan.input.ts'
import {
  COUNTRY_SHAPE, countryInstance, elvsNeeded, generateInstance, openTerms, Rng, termIndex, walesAuthorityCodes, walesInstance, WALES_SHAPE,
} from '../../bench/planning-instances.ts'
import type { PlanRequest } from '../../src/modules/planning/plan.types.ts'
import { checkPlanOutput } from './plan-checker.ts'

const month = (date: string) => Number(date.slice(5, 7))

function expectShape(request: PlanRequest, s: { authorities: number; inspectors: number; peers: number; welsh: number; welshMedium: number }) {
  expect(request.terms.map((t) => t.key)[0]).toBe('2024-2025/autumn')
  expect(request.terms.map((t) => t.key)[17]).toBe('2029-2030/summer')
  expect(request.terms).toHaveLength(18)
  for (const t of request.terms) {
    const season = t.key.split('/')[1]
    const [from, to] = season === 'autumn' ? [[9], [12]] : season === 'spring' ? [[1], [3, 4]] : [[4], [7]]
    expect(from, t.key).toContain(month(t.start))
    expect(to, t.key).toContain(month(t.end))
  }
  expect(['2025-2026/autumn', '2025-2026/spring', '2025-2026/summer']).toContain(request.firstTerm)
  expect(request.authorities).toHaveLength(s.authorities)
  expect(request.inspectors).toHaveLength(s.inspectors)
  const peers = request.inspectors.filter((p) => p.kind === 'peer')
  expect(peers).toHaveLength(s.peers)
  const codes = new Set(request.authorities.map((a) => a.gssCode))
  for (const p of peers) expect(codes.has(p.authority!)).toBe(true)
  expect(request.inspectors.filter((p) => p.welsh)).toHaveLength(s.welsh)
  expect(request.authorities.filter((a) => a.welshMedium)).toHaveLength(s.welshMedium)
  // Each authority has one link inspector, an HMI; some HMIs link for two.
  for (const g of codes) {
    const links = request.inspectors.filter((p) => p.linkFor.includes(g))
    expect(links, g).toHaveLength(1)
    expect(links[0]!.kind).toBe('hmi')
  }
  expect(request.inspectors.some((p) => p.linkFor.length === 2)).toBe(true)
  expect(request.inspectors.some((p) => p.unavailable.length > 0)).toBe(true)
  const cores = request.authorities.map((a) => termIndex(a.coreInspectionTerm!))
  expect(Math.min(...cores)).toBeGreaterThanOrEqual(termIndex('2022-2023/autumn'))
  expect(Math.max(...cores)).toBeLessThanOrEqual(termIndex('2029-2030/summer'))
  expect(new Set(cores).size).toBeGreaterThan(5)
  expect(request.authorities.some((a) => a.elvsDone === 1)).toBe(true)
  // The product's own input check finds nothing wrong.
  expect(parsePlanRequest(JSON.parse(JSON.stringify(request)))).toMatchObject({ ok: true })
}

describe('the planning instances', () => {
  afterEach(() => { vi.restoreAllMocks() })

  it('are the same for the same seed and different for another, without Math.random', () => {
    const random = vi.spyOn(Math, 'random')
    expect(walesInstance(7)).toEqual(walesInstance(7))
    expect(walesInstance(7)).not.toEqual(walesInstance(8))
    expect(countryInstance(7)).toEqual(countryInstance(7))
    expect(random).not.toHaveBeenCalled()
    const r = new Rng(1)
    const draws = Array.from({ length: 1000 }, () => r.int(1, 6))
    for (let face = 1; face <= 6; face++) expect(draws.filter((d) => d === face).length).toBeGreaterThan(120)
  })

  it('Wales: the 22 authorities, 18 terms, 30 inspectors (8 peers, 12 Welsh speakers), 8 Welsh-medium, default rules', () => {
    expect(walesAuthorityCodes()).toHaveLength(22)
    for (const seed of [1, 2, 3]) {
      const request = walesInstance(seed)
      expectShape(request, { authorities: 22, inspectors: 30, peers: 8, welsh: 12, welshMedium: 8 })
      expect(request.authorities.map((a) => a.gssCode).sort()).toEqual(walesAuthorityCodes())
      expect(request.rules).toBeUndefined()
    }
  })

  it('country: 150 authorities, 18 terms, 200 inspectors, at most 20 ELVs a term', () => {
    const request = countryInstance(1)
    expectShape(request, { authorities: 150, inspectors: 200, peers: 53, welsh: 80, welshMedium: 55 })
    expect(request.rules).toEqual({ maxElvsPerTerm: 20 })
    expect(elvsNeeded(request)).toBeLessThanOrEqual(20 * openTerms(request).length)
  })

  it('are feasible: each comes with a plan that the independent checker passes, at the least possible term load', () => {
    for (const [shape, seeds] of [[WALES_SHAPE, [1, 2, 3, 4, 5, 6]], [COUNTRY_SHAPE, [1, 2]]] as const) {
      for (const seed of seeds) {
        const { request, witness, termLoadLowerBound } = generateInstance(shape, seed)
        expect(checkPlanOutput(request, witness), `${shape.name} ${seed}`).toEqual([])
        expect(witness.visits).toHaveLength(elvsNeeded(request))
        expect(termLoadLowerBound).toBe(Math.ceil(elvsNeeded(request) / openTerms(request).length))
        expect(witness.load.maxElvsInATerm).toBe(termLoadLowerBound)
      }
    }
  })
})
