/**
 * Which database engines the data tests run against.
 *
 * SQLite always; PostgreSQL when a URL is available — from TEST_DATABASE_URL (set by
 * the caller, e.g. .ci/run, or by test/global-setup.ts before workers are forked) or,
 * failing that, from `inject('pgUrl')` provided by test/global-setup.ts.
 * In CI (process.env.CI set) a missing PostgreSQL URL is an error.
 *
 * Usage:
 *   describe.each(testEngines())('widgets on $name', ({ name, url }) => { ... });
 */
import { inject } from 'vitest';

export type EngineName = 'sqlite' | 'postgres';

export interface TestEngine {
  name: EngineName;
  /** Connection URL (postgres only). */
  url?: string;
}

/** PostgreSQL URL for the data tests, or undefined when none is available. */
export function postgresUrl(): string | undefined {
  const fromEnv = process.env.TEST_DATABASE_URL;
  if (fromEnv) return fromEnv;
  try {
    return inject('pgUrl') || undefined;
  } catch {
    // Not running inside a Vitest worker.
    return undefined;
  }
}

export function testEngines(): TestEngine[] {
  const engines: TestEngine[] = [{ name: 'sqlite' }];
  const url = postgresUrl();
  if (url) {
    engines.push({ name: 'postgres', url });
  } else if (process.env.CI) {
    throw new Error(
      'CI is set but no PostgreSQL is available for the data tests (TEST_DATABASE_URL unset and ' +
        'test/global-setup.ts found no server). Install it with `apt-get install -y postgresql`.',
    );
  }
  return engines;
}

let schemaCounter = 0;

/**
 * A fresh lowercase identifier, safe unquoted in PostgreSQL (and SQLite), unique per
 * call and per process: t_<prefix>_<pid>_<counter>_<random>, [a-z0-9_] only, max 60 chars.
 */
export function uniqueSchemaName(prefix: string): string {
  schemaCounter += 1;
  const random = Math.random().toString(36).slice(2, 8).padEnd(6, '0');
  const suffix = `_${process.pid}_${schemaCounter}_${random}`;
  const cleanPrefix = prefix.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  const head = (cleanPrefix ? `t_${cleanPrefix}` : 't').slice(0, 60 - suffix.length).replace(/_+$/, '');
  return `${head}${suffix}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}
