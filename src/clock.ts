/** Time as a dependency, so rules that depend on "now" can be tested at any date. */
export interface Clock {
  now(): Date
  nowIso(): string
}

export const systemClock: Clock = {
  now: () => new Date(),
  nowIso: () => new Date().toISOString(),
}

export function fixedClock(iso: string): Clock & { set(iso: string): void; advanceMinutes(n: number): void } {
  let current = new Date(iso)
  return {
    now: () => new Date(current),
    nowIso: () => current.toISOString(),
    set: (next) => { current = new Date(next) },
    advanceMinutes: (n) => { current = new Date(current.getTime() + n * 60_000) },
  }
}
