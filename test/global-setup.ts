/**
 * Vitest globalSetup: makes a PostgreSQL database available to the data tests.
 *
 * How the URL reaches the tests (both channels are set, verified with Vitest 4.1):
 *   1. `process.env.TEST_DATABASE_URL` — set here in the main process before any
 *      worker is forked; `pool: 'forks'` workers inherit it.
 *   2. `project.provide('pgUrl', url)` — read in tests with `inject('pgUrl')`
 *      (empty string when there is no PostgreSQL). This is the documented Vitest
 *      channel and also works for pools that do not inherit the environment.
 * Tests should not read either directly: use `testEngines()` from
 * `test/helpers/engines.ts`, which checks the env var first, then `inject`.
 *
 * Behaviour:
 *   - TEST_DATABASE_URL already set  -> used as-is, nothing is started.
 *   - PostgreSQL binaries found       -> a throw-away cluster is created in a temp
 *     dir (as the `postgres` OS user when running as root), listening on
 *     127.0.0.1:<free port>, with database `cyswllt_test`; stopped and removed on
 *     teardown (and, best effort, on process exit).
 *   - No PostgreSQL                   -> error in CI, one warning line locally
 *     (data tests then run on SQLite only).
 * Uses node built-ins plus the `pg` package (for CREATE DATABASE).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import type { SpawnSyncOptions } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { Client } from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PostgreSQL URL for the data tests, or '' when only SQLite is available. */
    pgUrl: string;
  }
}

const DB_NAME = 'cyswllt_test';
const TAG = '[global-setup]';

interface PgBin {
  dir: string;
  version: string;
}

/** Highest /usr/lib/postgresql/<ver>/bin with initdb + pg_ctl, else initdb/pg_ctl on PATH. */
function findPostgres(): PgBin | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    const best = versions[0];
    if (best !== undefined) return { dir: join(root, best, 'bin'), version: best };
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) {
      // Follow symlinks (e.g. /usr/local/bin/initdb -> /usr/lib/postgresql/NN/bin/initdb).
      return { dir: dirname(realpathSync(join(dir, 'initdb'))), version: 'from PATH' };
    }
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not find a free TCP port'))));
    });
  });
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL server binary, as the `postgres` user when we are root. Throws with output on failure. */
function runPg(bin: string, args: string[], options: SpawnSyncOptions = {}): string {
  const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const result = spawnSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const output = `${String(result.stdout ?? '')}${String(result.stderr ?? '')}`.trim();
    throw new Error(`${bin} ${args.join(' ')} failed (exit ${result.status}):\n${output}`);
  }
  return String(result.stdout ?? '');
}

interface Cluster {
  url: string;
  stop: () => void;
}

async function startCluster(pg: PgBin): Promise<Cluster> {
  const started = Date.now();
  const baseDir = mkdtempSync(join(tmpdir(), 'cyswllt-pg-'));
  const dataDir = join(baseDir, 'data');
  const logFile = join(baseDir, 'postgres.log');
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(baseDir, uid, gid);
  }
  // Run from the temp dir: the postgres user may not be able to read the cwd (e.g. /root).
  const opts: SpawnSyncOptions = { cwd: baseDir };
  const pgCtl = join(pg.dir, 'pg_ctl');

  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stop);
    try {
      if (existsSync(join(dataDir, 'postmaster.pid'))) {
        runPg(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], opts);
      }
    } catch (error) {
      console.warn(`${TAG} could not stop PostgreSQL in ${dataDir}: ${(error as Error).message}`);
    }
    rmSync(baseDir, { recursive: true, force: true });
  };
  // Best effort if the run dies without calling teardown (Vitest turns SIGINT/SIGTERM into process.exit).
  process.on('exit', stop);

  try {
    runPg(
      join(pg.dir, 'initdb'),
      ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync'],
      opts,
    );

    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const serverOptions = [
        `-p ${port}`,
        `-c listen_addresses=127.0.0.1`,
        `-c unix_socket_directories='${baseDir}'`,
        `-c fsync=off`,
        `-c synchronous_commit=off`,
        `-c full_page_writes=off`,
        `-c max_connections=200`,
      ].join(' ');
      try {
        runPg(pgCtl, ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions, 'start'], opts);
        break;
      } catch (error) {
        // The port can be taken between probing and binding; retry with another one.
        const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
        if (attempt < 3 && /address already in use/i.test(log)) continue;
        throw new Error(`${(error as Error).message}\n--- ${logFile} ---\n${log}`, { cause: error });
      }
    }

    const admin = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${DB_NAME}`);
    } finally {
      await admin.end();
    }

    const url = `postgres://postgres@127.0.0.1:${port}/${DB_NAME}`;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`${TAG} PostgreSQL ${pg.version} started in ${seconds}s at ${url} (data dir ${dataDir})`);
    return { url, stop };
  } catch (error) {
    stop();
    throw error;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const existing = process.env.TEST_DATABASE_URL;
  if (existing) {
    project.provide('pgUrl', existing);
    return () => {};
  }

  const pg = findPostgres();
  if (!pg) {
    if (process.env.CI) {
      throw new Error(
        'PostgreSQL is required in CI: the data tests must run on both SQLite and PostgreSQL. ' +
          'Install it with `apt-get install -y postgresql` (initdb/pg_ctl under /usr/lib/postgresql/*/bin) ' +
          'or set TEST_DATABASE_URL to an existing database.',
      );
    }
    console.warn(
      `${TAG} WARNING: PostgreSQL not found (no /usr/lib/postgresql/*/bin/initdb, no TEST_DATABASE_URL); ` +
        'data tests will run on SQLite only. Install it with `apt-get install -y postgresql`.',
    );
    project.provide('pgUrl', '');
    return () => {};
  }

  const cluster = await startCluster(pg);
  process.env.TEST_DATABASE_URL = cluster.url;
  project.provide('pgUrl', cluster.url);
  return () => {
    cluster.stop();
    if (process.env.TEST_DATABASE_URL === cluster.url) delete process.env.TEST_DATABASE_URL;
  };
}
