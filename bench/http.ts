/**
 * What the HTTP benchmarks share: the servers in a child process of their own (bench/serve.ts),
 * signing in through the real form, a first request to catch a scenario that is silently a
 * redirect or an error page, and autocannon runs reported the same way.
 *
 *   BENCH_SECONDS         measured seconds per scenario (default 5)
 *   BENCH_WARMUP_SECONDS  warm-up seconds per scenario, not measured (default 2)
 *   BENCH_CONNECTIONS     concurrent connections (default 10)
 *   BENCH_PROFILE=1       write a V8 CPU profile of each server process to BENCH_PROFILE_DIR
 *                         (default /tmp/cyswllt-bench-profile), for chrome://inspect or speedscope
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { SERVER_NODE_OPTIONS } from '../src/node-options.ts'
import type { PageCacheStats } from '../src/http/page-cache.ts'

/** What Chromium and Firefox send: the pages are measured as browsers ask for them. */
export const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br'

export function seconds(name: string, fallback: number): number {
  const raw = process.env[name]
  const n = raw ? Number(raw) : fallback
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number of seconds, not "${raw}"`)
  return n
}

export const httpSettings = () => ({
  connections: seconds('BENCH_CONNECTIONS', 10),
  warmupSeconds: seconds('BENCH_WARMUP_SECONDS', 2),
  seconds: seconds('BENCH_SECONDS', 5),
})

// ---- the servers ----------------------------------------------------------------------------

export type ServeMode = 'baseline' | 'app'
export interface Ready { baselineUrl?: string; appUrl?: string }
export interface Memory { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number }

export interface ServerProcess {
  ready: Ready
  pid: number
  /** The server process's own memory figures (process.memoryUsage()), asked over IPC; `afterGc` after a full collection. */
  memory(opts?: { afterGc?: boolean }): Promise<Memory>
  /** The app server's page cache figures (src/http/page-cache.ts). */
  pageCache(): Promise<PageCacheStats>
  /**
   * Resolves once the server has stopped working: autocannon stops at the end of its time with
   * requests still in flight, which the server goes on answering, and that work must not fall on
   * the next scenario's time.
   */
  settle(): Promise<void>
  stop(): Promise<void>
}

/**
 * Starts bench/serve.ts in a child process, so autocannon (in this process) does not compete
 * with the server for one event loop. `env` adds to this process's environment.
 */
export async function startServers(mode: ServeMode, env: Record<string, string> = {}): Promise<ServerProcess> {
  const profileDir = process.env.BENCH_PROFILE ? (process.env.BENCH_PROFILE_DIR ?? '/tmp/cyswllt-bench-profile') : undefined
  const child = fork(fileURLToPath(new URL('./serve.ts', import.meta.url)), [mode], {
    // process.execArgv carries tsx's loader, so the child runs TypeScript too.
    // --expose-gc lets a memory reading collect first when asked; nothing else calls it.
    // The app runs with the options npm start gives it; the baseline with Node's defaults.
    execArgv: [...process.execArgv, ...(mode === 'baseline' ? [] : SERVER_NODE_OPTIONS), '--expose-gc', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Ready))
    child.once('exit', (code) => reject(new Error(`the ${mode} server process exited (${code}) before it was ready`)))
  })
  /** Sends `message` and resolves with the field `key` of the first answer that has it. */
  const ask = <T>(message: string, key: string) => new Promise<T>((resolve, reject) => {
    const onMessage = (m: unknown) => {
      if (typeof m !== 'object' || m === null || !(key in m)) return
      child.off('message', onMessage)
      resolve((m as Record<string, T>)[key]!)
    }
    child.on('message', onMessage)
    if (!child.send(message)) reject(new Error('the server process is gone'))
  })
  const cpuMs = async () => {
    const c = await ask<{ user: number; system: number }>('cpu', 'cpu')
    return (c.user + c.system) / 1000
  }
  return {
    ready,
    pid: child.pid!,
    memory: (opts = {}) => ask<Memory>(opts.afterGc ? 'memory-after-gc' : 'memory', 'memory'),
    pageCache: () => ask<PageCacheStats>('page-cache', 'pageCache'),
    async settle() {
      // Idle: under a tenth of a core over a quarter of a second; at most a minute.
      const until = Date.now() + 60_000
      let before = await cpuMs()
      while (Date.now() < until) {
        await new Promise((r) => setTimeout(r, 250))
        const now = await cpuMs()
        if (now - before < 25) return
        before = now
      }
      console.error(`bench: the ${mode} server process was still busy a minute after its scenario`)
    },
    async stop() {
      if (child.connected) child.send('stop')
      await exited
      if (profileDir) console.error(`bench: CPU profile of the ${mode} server process written to ${profileDir}`)
    },
  }
}

// ---- the load -------------------------------------------------------------------------------

/**
 * Signs in through the real form (CSRF token and cookie included) and returns the Cookie header a
 * browser would send afterwards: the session and the CSRF secret. Without the CSRF cookie every
 * page would mint and sign a new secret, which a real browser does only once.
 */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const page = await fetch(`${baseUrl}/sign-in`)
  const html = await page.text()
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
  if (!token) throw new Error('no CSRF token on the sign-in page')
  const cookies = new Map<string, string>()
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';')
      const eq = pair.indexOf('=')
      cookies.set(pair.slice(0, eq), pair.slice(eq + 1))
    }
  }
  keep(page)
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  const res = await fetch(`${baseUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: header() },
    body: new URLSearchParams({ email, password, _csrf: token }).toString(),
  })
  keep(res)
  if (res.status !== 303 || !cookies.has('cyswllt_session')) throw new Error(`sign-in failed: HTTP ${res.status}`)
  return header()
}

/** One request first, so a scenario that is silently a redirect or an error page is caught. Returns the body. */
export async function expectPage(url: string, headers: Record<string, string>, text: string): Promise<string> {
  const res = await fetch(url, { headers, redirect: 'manual' })
  const body = await res.text()
  if (res.status !== 200 || !body.includes(text)) throw new Error(`${url} answered ${res.status} without "${text}"`)
  return body
}

export interface Scenario {
  name: string
  requestsPerSecond: number
  /** Of the requests answered within the measured time (0 when none was). */
  latencyP99Ms: number
  latencyP50Ms: number
  /** Requests answered within the measured time: latencies are of these only. */
  answered: number
  errors: number
  non2xx: number
}

export interface Load {
  /** The base URL, and the paths to ask for in turn on each connection (one path: always that one). */
  url: string
  paths: Array<string | (() => string)>
  headers?: Record<string, string>
  connections?: number
  seconds?: number
  warmupSeconds?: number
  /** The server under load: waited on after the warm-up and after the measured run until it is idle. */
  server?: ServerProcess
}

/** A warm-up run (not measured), then the measured one, with the settings given or httpSettings(). */
export async function measure(name: string, load: Load): Promise<Scenario> {
  const s = httpSettings()
  const connections = load.connections ?? s.connections
  const warmup = load.warmupSeconds ?? s.warmupSeconds
  const duration = load.seconds ?? s.seconds
  const requests = load.paths.map((p) => typeof p === 'string'
    ? { method: 'GET' as const, path: p }
    // A path worked out for each request (another query each time): autocannon rebuilds the request.
    : { method: 'GET' as const, setupRequest: (req: autocannon.Request) => ({ ...req, path: p() }) })
  const options = { url: load.url, connections, headers: load.headers ?? {}, requests }
  console.error(`bench: ${name}: ${warmup}s warm-up, then ${duration}s measured, ${connections} connections`)
  await autocannon({ ...options, duration: warmup })
  await load.server?.settle()
  const r = await autocannon({ ...options, duration })
  await load.server?.settle()
  return {
    name,
    requestsPerSecond: Math.round(r.requests.average * 10) / 10,
    latencyP99Ms: r.latency.p99,
    latencyP50Ms: r.latency.p50,
    answered: r.requests.total,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  }
}
