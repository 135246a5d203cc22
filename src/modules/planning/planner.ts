import type { PlanInput, PlanOutput } from './plan.types.ts'

export interface SolveOptions {
  /** Stop searching after this long and answer with the best plan found (status `feasible`). */
  timeLimitSeconds?: number
}

/** Places every ELV still needed and proposes its team (see plan.types.ts). Never touches the database. */
export async function solvePlan(input: PlanInput, options: SolveOptions = {}): Promise<PlanOutput> {
  void input
  void options
  throw new Error('not built yet')
}
