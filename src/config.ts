import net from 'node:net'
import path from 'node:path'
import { randomBytes } from 'node:crypto'

/** Typed configuration read once from the environment. */
export interface Config {
  env: 'development' | 'production' | 'test'
  port: number
  host: string
  dataDir: string
  /** postgres://... when set; the embedded SQLite database under dataDir otherwise. */
  databaseUrl: string | undefined
  /** Signs cookies (CSRF secret, OIDC state). Must be stable across restarts and servers in production. */
  cookieSecret: string
  /** Secure cookies: on in production (behind HTTPS), off on plain-HTTP localhost. */
  secureCookies: boolean
  /**
   * Which proxies' X-Forwarded-* headers to believe: their addresses or ranges (proxy-addr names
   * such as `uniquelocal` too), or false for none. The client's address is the first one, walking
   * back from the connection, that is not a trusted proxy, so an address a client forges in
   * X-Forwarded-For is never taken for its own (which would slip the per-address rate limits).
   */
  trustProxy: string[] | false
  sessionHours: number
  signIn: { maxFailures: number; lockMinutes: number }
  /** Requests per minute from one client address: sign-in attempts, and anything not signed in (health checks aside). */
  rateLimit: { signInPerMinute: number; anonymousPerMinute: number }
  admin: { email: string | undefined; password: string | undefined }
  oidc: { issuer: string; clientId: string; clientSecret: string; allowHttp: boolean } | undefined
  publicUrl: string
  logLevel: string
  /** intervalSeconds: how often each app server looks in the outbox for mail to deliver. */
  mail: { smtpUrl: string | undefined; from: string; intervalSeconds: number }
  /** Memory for whole pages kept per reader and served again while nothing changes (src/http/page-cache.ts); 0 keeps none. */
  pageCacheBytes: number
  /** Above this many ELVs in one term, an inspector's workload is flagged. */
  workloadWarningPerTerm: number
  /** Uploaded files: a directory under dataDir, or S3-compatible object storage when a bucket is named. */
  files: {
    dir: string
    maxBytes: number
    s3: { bucket: string; endpoint: string | undefined; region: string; accessKeyId: string | undefined; secretAccessKey: string | undefined; forcePathStyle: boolean } | undefined
  }
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>

function intFrom(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be a whole number of at least ${min}, not "${raw}"`)
  return n
}

/** Load balancers usually reach the app from a private network: trusted in production unless TRUST_PROXY says otherwise. */
const PRIVATE_NETWORKS = ['loopback', 'linklocal', 'uniquelocal']

/** TRUST_PROXY: comma-separated addresses, ranges (10.0.0.0/8) or loopback/linklocal/uniquelocal; or "false". */
function trustedProxies(env: Env, production: boolean): string[] | false {
  const raw = env.TRUST_PROXY?.trim()
  if (!raw) return production ? PRIVATE_NETWORKS : false
  if (raw === 'false') return false
  const entries = raw.split(',').map((e) => e.trim())
  const bad = entries.find((e) => !PRIVATE_NETWORKS.includes(e) && !isAddressOrRange(e))
  if (bad !== undefined) throw new ConfigError(`TRUST_PROXY must list the proxies' addresses or ranges (e.g. "10.0.0.0/8, 192.168.1.5", or loopback, linklocal, uniquelocal), or be "false"; "${bad}" is none of these`)
  return entries
}

function isAddressOrRange(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/')
  const version = net.isIP(address)
  if (!version || rest.length) return false
  if (bits === undefined) return true
  const n = Number(bits)
  return /^\d+$/.test(bits) && n >= 0 && n <= (version === 4 ? 32 : 128)
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development'
  const production = nodeEnv === 'production'
  const databaseUrl = env.DATABASE_URL || undefined
  if (env.SMTP_URL && !/^smtps?:\/\//.test(env.SMTP_URL)) throw new ConfigError('SMTP_URL must start with smtp:// or smtps://')
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://')
  }
  const cookieSecret = env.COOKIE_SECRET ?? (production ? undefined : randomBytes(32).toString('hex'))
  if (!cookieSecret || cookieSecret.length < 32) {
    throw new ConfigError('COOKIE_SECRET must be set to at least 32 characters in production')
  }
  const port = intFrom(env, 'PORT', 3000)
  const oidcVars = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET]
  if (oidcVars.some(Boolean) && !oidcVars.every(Boolean)) {
    throw new ConfigError('Set all of OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or none of them')
  }
  const adminEmail = env.CYSWLLT_ADMIN_EMAIL || undefined
  const adminPassword = env.CYSWLLT_ADMIN_PASSWORD || undefined
  if (adminPassword && adminPassword.length < 12) {
    throw new ConfigError('CYSWLLT_ADMIN_PASSWORD must be at least 12 characters')
  }
  return {
    env: nodeEnv,
    port,
    host: env.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    databaseUrl,
    cookieSecret,
    secureCookies: env.SECURE_COOKIES ? env.SECURE_COOKIES === 'true' : production,
    trustProxy: trustedProxies(env, production),
    sessionHours: intFrom(env, 'SESSION_HOURS', 12, 1),
    signIn: {
      maxFailures: intFrom(env, 'SIGN_IN_MAX_FAILURES', 5, 1),
      lockMinutes: intFrom(env, 'SIGN_IN_LOCK_MINUTES', 15, 1),
    },
    rateLimit: {
      signInPerMinute: intFrom(env, 'RATE_LIMIT_SIGN_IN_PER_MINUTE', 30, 1),
      anonymousPerMinute: intFrom(env, 'RATE_LIMIT_ANONYMOUS_PER_MINUTE', 300, 1),
    },
    admin: { email: adminEmail, password: adminPassword },
    oidc: env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET
      ? {
          issuer: env.OIDC_ISSUER,
          clientId: env.OIDC_CLIENT_ID,
          clientSecret: env.OIDC_CLIENT_SECRET,
          // Plain-HTTP identity providers are only for local testing.
          allowHttp: !production && env.OIDC_ISSUER.startsWith('http://'),
        }
      : undefined,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    mail: { smtpUrl: env.SMTP_URL || undefined, from: env.MAIL_FROM ?? 'Cyswllt <cyswllt@localhost>', intervalSeconds: intFrom(env, 'MAIL_INTERVAL_SECONDS', 5, 1) },
    workloadWarningPerTerm: intFrom(env, 'WORKLOAD_WARNING_PER_TERM', 2, 1),
    pageCacheBytes: intFrom(env, 'PAGE_CACHE_MB', 32, 0) * 1024 * 1024,
    files: {
      dir: path.resolve(env.FILES_DIR ?? path.join(env.DATA_DIR ?? 'data', 'files')),
      maxBytes: intFrom(env, 'UPLOAD_MAX_MB', 50, 1) * 1024 * 1024,
      s3: env.S3_BUCKET
        ? {
            bucket: env.S3_BUCKET,
            endpoint: env.S3_ENDPOINT || undefined,
            region: env.S3_REGION || 'eu-west-2',
            accessKeyId: env.S3_ACCESS_KEY_ID || undefined,
            secretAccessKey: env.S3_SECRET_ACCESS_KEY || undefined,
            // Most S3-compatible servers other than AWS itself want bucket names in the path.
            forcePathStyle: env.S3_FORCE_PATH_STYLE ? env.S3_FORCE_PATH_STYLE === 'true' : Boolean(env.S3_ENDPOINT),
          }
        : undefined,
    },
  }
}
