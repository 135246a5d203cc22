import highsModule, { type Highs } from 'highs'

// The package's types describe its CommonJS build, where the loader is `default`; the ES module
// build that Node loads exports the loader itself.
const loadHighs = ((highsModule as unknown as { default?: unknown }).default ?? highsModule) as typeof highsModule.default

/** HiGHS compiles its WebAssembly once per process; every solve reuses it. */
let highs: Promise<Highs> | undefined
function solver(): Promise<Highs> {
  highs ??= loadHighs()
  return highs
}

export type MilpStatus = 'optimal' | 'infeasible' | 'limit' | 'failed'

export interface MilpResult {
  status: MilpStatus
  /** Present when a solution was found (optimal, or the best found when a limit stopped the search). */
  values?: Float64Array
  objective?: number
  /** The proven lower bound of the objective (minimisation). */
  bound?: number
  /** HiGHS's relative gap between the solution and the bound. */
  gap?: number
  seconds: number
}

/**
 * A mixed integer programme built row by row, then handed to HiGHS as sparse arrays (the LP text
 * format would be slower to write and parse for tens of thousands of variables). Minimises.
 */
export class Milp {
  private readonly lower: number[] = []
  private readonly upper: number[] = []
  private readonly cost: number[] = []
  private readonly integer: number[] = []
  private readonly rowLower: number[] = []
  private readonly rowUpper: number[] = []
  private readonly starts: number[] = [0]
  private readonly indices: number[] = []
  private readonly values: number[] = []

  get variables(): number { return this.cost.length }
  get constraints(): number { return this.rowLower.length }

  /** A variable; integer ones with bounds 0..1 are yes/no decisions. */
  variable(lower: number, upper: number, cost = 0, integer = true): number {
    this.lower.push(lower)
    this.upper.push(upper)
    this.cost.push(cost)
    this.integer.push(integer ? 1 : 0)
    return this.cost.length - 1
  }

  setCost(variable: number, cost: number): void {
    this.cost[variable] = cost
  }

  /** lower <= sum(coef * var) <= upper; a term list may repeat a variable (the coefficients add up). */
  row(terms: Array<[number, number]>, lower: number, upper: number): void {
    const merged = new Map<number, number>()
    for (const [v, c] of terms) merged.set(v, (merged.get(v) ?? 0) + c)
    for (const [v, c] of [...merged].sort((a, b) => a[0] - b[0])) {
      if (c === 0) continue
      this.indices.push(v)
      this.values.push(c)
    }
    this.rowLower.push(lower)
    this.rowUpper.push(upper)
    this.starts.push(this.indices.length)
  }

  atMost(terms: Array<[number, number]>, upper: number): void { this.row(terms, -Infinity, upper) }
  atLeast(terms: Array<[number, number]>, lower: number): void { this.row(terms, lower, Infinity) }
  equal(terms: Array<[number, number]>, value: number): void { this.row(terms, value, value) }

  /**
   * Solves within the time limit. The objective is integral, so a gap below one is optimal: asking
   * HiGHS for exactly that proves optimality without chasing rounding noise.
   */
  async solve(options: { timeLimitSeconds?: number; integralObjective?: boolean } = {}): Promise<MilpResult> {
    const h = await solver()
    const inf = h.infinity
    const clamp = (v: number) => (v === Infinity ? inf : v === -Infinity ? -inf : v)
    const started = performance.now()
    const model = h.createModel({
      numCols: this.cost.length,
      numRows: this.rowLower.length,
      colCost: this.cost,
      colLower: this.lower.map(clamp),
      colUpper: this.upper.map(clamp),
      rowLower: this.rowLower.map(clamp),
      rowUpper: this.rowUpper.map(clamp),
      matrix: { format: 'csr', numRows: this.rowLower.length, numCols: this.cost.length, starts: this.starts, indices: this.indices, values: this.values },
      integrality: new Int32Array(this.integer) as Int32Array,
    })
    try {
      model.options.set({
        output_flag: false,
        time_limit: options.timeLimitSeconds ?? 60,
        mip_rel_gap: 0,
        mip_abs_gap: options.integralObjective ? 0.999 : 1e-6,
      })
      model.run()
      const code = model.getModelStatus()
      const s = h.constants.modelStatus
      const seconds = (performance.now() - started) / 1000
      const info = (name: string): number | undefined => {
        try {
          const v = Number(model.info.get(name))
          return Number.isFinite(v) ? v : undefined
        } catch {
          return undefined
        }
      }
      const hasSolution = (info('primal_solution_status') ?? 0) >= 2 || code === s.optimal
      const values = hasSolution ? Float64Array.from(model.getSolution().colValue) : undefined
      const status: MilpStatus = code === s.optimal ? 'optimal'
        : code === s.infeasible ? 'infeasible'
          : code === s.timeLimit || code === s.iterationLimit || code === s.interrupted || code === s.solutionLimit ? 'limit'
            : 'failed'
      return {
        status,
        ...(values ? { values, objective: model.getObjectiveValue() } : {}),
        ...(info('mip_dual_bound') !== undefined ? { bound: info('mip_dual_bound') } : {}),
        ...(info('mip_gap') !== undefined ? { gap: info('mip_gap') } : {}),
        seconds,
      }
    } finally {
      model.dispose()
    }
  }
}
