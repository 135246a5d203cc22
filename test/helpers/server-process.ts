import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { ROOT } from './cli.ts'
import { SERVER_NODE_OPTIONS } from '../../src/node-options.ts'

/**
 * A real Cyswllt server in a process of its own, started as `npm start` starts it, as an
 * operator runs it: for tests that need more than one server, a crash, or the memory of a
 * server under load. Only loopback.
 */
export interface ServerProcess {
  readonly url: string
  readonly port: number
  readonly pid: number
  /** Everything the process wrote to stdout and stderr so far (its log, as JSON lines at LOG_LEVEL). */
  output(): string
  /** Log lines at level error (50) or worse. */
  errorLines(): string[]
  /** Resident memory of the process now, in bytes (Linux /proc). */
  rssBytes(): number
  /** Sends the signal and waits for the process to end. */
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** A graceful stop (SIGTERM), waiting for the exit. */
  stop(): Promise<void>
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** The settings every spawned server gets unless the caller overrides them. */
export function serverEnv(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.homedir(),
    TMPDIR: os.tmpdir(),
    // Production behaviour (no dev shortcuts), but plain HTTP on loopback.
    NODE_ENV: 'production',
    SECURE_COOKIES: 'false',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...extra,
  }
}

/**
 * Starts a server with the environment given (DATA_DIR or DATABASE_URL, COOKIE_SECRET, ...) on a
 * free port and resolves once it answers /readyz. Rejects with its output if it exits first.
 */
export async function startServerProcess(env: Record<string, string>, opts: { nodeArgs?: string[]; timeoutMs?: number } = {}): Promise<ServerProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort()
  const child: ChildProcess = spawn(process.execPath, [...SERVER_NODE_OPTIONS, ...(opts.nodeArgs ?? []), '--import', 'tsx', path.join(ROOT, 'src/server.ts')], {
    cwd: ROOT,
    env: serverEnv({ ...env, PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d: Buffer) => { output += d.toString() })
  child.stderr!.on('data', (d: Buffer) => { output += d.toString() })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
  })
  let ended = false
  void exited.then(() => { ended = true })

  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + (opts.timeoutMs ?? 90_000)
  for (;;) {
    if (ended) throw new Error(`the server exited before it was ready:\n${output}`)
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`the server did not answer within ${opts.timeoutMs ?? 90_000} ms:\n${output}`)
    }
    try {
      const res = await fetch(`${url}/readyz`)
      if (res.ok) break
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150))
  }

  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (!ended) child.kill(signal)
    return exited
  }
  return {
    url,
    port,
    pid: child.pid!,
    output: () => output,
    errorLines: () => output.split('\n').filter((line) => {
      if (!line.startsWith('{')) return false
      try { return (JSON.parse(line) as { level?: number }).level! >= 50 } catch { return false }
    }),
    rssBytes: () => {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8')
      const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]
      if (!kb) throw new Error('no VmRSS for the server process')
      return Number(kb) * 1024
    },
    kill,
    async stop() { await kill('SIGTERM') },
  }
}
