import * as client from 'openid-client'
import type { Config } from '../../config.ts'
import type { Clock } from '../../clock.ts'
import type { Db } from '../../db/database.ts'
import type { AppUser } from '../../db/schema.ts'
import { safeReturnPath } from '../../http/paths.ts'
import type { AuditService } from '../audit/audit.service.ts'
import type { UsersService } from '../users/users.service.ts'
import { toActor, type AuthService } from './auth.service.ts'

/** How long someone may take at the identity provider before the sign-in attempt lapses. */
export const PENDING_MAX_AGE_SECONDS = 600

const SCOPE = 'openid email profile'

/**
 * Why single sign-on did not sign someone in. `failed`: the protocol broke (bad or missing state,
 * an error from the provider, a refused token exchange, no usable e-mail). `unavailable`: the
 * provider could not be reached. `no_account`: the provider vouched for an e-mail address that
 * has no usable Cyswllt account.
 */
export class OidcFailure extends Error {
  constructor(readonly reason: 'failed' | 'unavailable' | 'no_account', message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'OidcFailure'
  }
}

/** What the browser carries between leaving for the provider and coming back: never kept in memory here. */
interface Pending { state: string; nonce: string; verifier: string; next: string; issuedAt: number }

export interface OidcDeps {
  db: Db
  clock: Clock
  audit: AuditService
  auth: AuthService
  users: UsersService
}

/** OpenID Connect authorization code flow with PKCE, state and nonce; everything per request lives in the browser's signed cookie. */
export class OidcService {
  private configuration: Promise<client.Configuration> | undefined
  readonly redirectUri: string

  constructor(
    private readonly settings: NonNullable<Config['oidc']>,
    publicUrl: string,
    private readonly deps: OidcDeps,
  ) {
    this.redirectUri = `${publicUrl}/auth/oidc/callback`
  }

  /**
   * Discovers the provider on first use and keeps the answer. A failed discovery is forgotten, so
   * a provider that was down when the app started (or at the last attempt) is tried again.
   */
  private discover(): Promise<client.Configuration> {
    if (!this.configuration) {
      const { issuer, clientId, clientSecret, allowHttp } = this.settings
      this.configuration = client
        .discovery(new URL(issuer), clientId, clientSecret, undefined, {
          execute: allowHttp ? [client.allowInsecureRequests] : [],
          // Someone is waiting on a page: fail soon rather than hang on a dead provider.
          timeout: 10,
        })
        .catch((err: unknown) => {
          this.configuration = undefined
          throw new OidcFailure('unavailable', `Could not discover the identity provider at ${issuer}`, { cause: err })
        })
    }
    return this.configuration
  }

  /** The provider's sign-in address to send the browser to, and the cookie value that must come back with it. */
  async begin(next: unknown): Promise<{ redirectTo: string; pending: string }> {
    const configuration = await this.discover()
    const pending: Pending = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      next: safeReturnPath(next),
      issuedAt: this.deps.clock.now().getTime(),
    }
    const redirectTo = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: SCOPE,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    })
    return { redirectTo: redirectTo.href, pending: Buffer.from(JSON.stringify(pending)).toString('base64url') }
  }

  /** Where to send someone back to, read from a pending cookie even when the sign-in itself failed. */
  nextFrom(pendingCookie: string | undefined): string {
    return this.readPending(pendingCookie)?.next ?? '/'
  }

  /**
   * Checks the provider's answer against the pending cookie (state, nonce, PKCE, ID token), finds the
   * Cyswllt account for the e-mail the provider vouches for and starts a session for it.
   * `pendingCookie` is the cookie value after its signature has been checked; undefined when missing or forged.
   */
  async finish(currentUrl: URL, pendingCookie: string | undefined): Promise<{ user: AppUser; sessionToken: string; next: string }> {
    const pending = this.readPending(pendingCookie)
    if (!pending) throw new OidcFailure('failed', 'The single sign-on state cookie is missing, forged or malformed')
    if (this.deps.clock.now().getTime() - pending.issuedAt > PENDING_MAX_AGE_SECONDS * 1000) {
      throw new OidcFailure('failed', 'The single sign-on attempt took too long')
    }
    const configuration = await this.discover()
    const email = await this.verifiedEmail(configuration, currentUrl, pending)
    const user = await this.deps.users.byEmail(email)
    if (!user || user.disabled) {
      throw new OidcFailure('no_account', `No usable Cyswllt account for ${email}${user ? ' (disabled)' : ''}`)
    }
    const sessionToken = await this.deps.auth.startSession(user)
    await this.deps.audit.record(this.deps.db, toActor(user), 'auth.sign_in', { type: 'user', id: user.id }, { method: 'oidc' })
    return { user, sessionToken, next: pending.next }
  }

  private async verifiedEmail(configuration: client.Configuration, currentUrl: URL, pending: Pending): Promise<string> {
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>
    try {
      tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        pkceCodeVerifier: pending.verifier,
        idTokenExpected: true,
      })
    } catch (err) {
      throw new OidcFailure('failed', 'The authorization response or the token exchange was refused', { cause: err })
    }
    const idToken = tokens.claims()
    if (!idToken) throw new OidcFailure('failed', 'The provider returned no ID token')
    let { email, email_verified: verified } = idToken as { email?: unknown; email_verified?: unknown }
    // Providers that follow OpenID Connect strictly put scope claims only in UserInfo, not the ID token.
    if (typeof email !== 'string' || !email) {
      try {
        const info = await client.fetchUserInfo(configuration, tokens.access_token, idToken.sub)
        email = info.email
        verified = info.email_verified
      } catch (err) {
        throw new OidcFailure('failed', 'The UserInfo request was refused', { cause: err })
      }
    }
    if (typeof email !== 'string' || !email.trim()) throw new OidcFailure('failed', `The provider gave no e-mail address for subject ${idToken.sub}`)
    if (verified === false) throw new OidcFailure('failed', `The provider says the e-mail address ${email} is not verified`)
    return email.trim().toLowerCase()
  }

  private readPending(value: string | undefined): Pending | undefined {
    if (!value) return undefined
    try {
      const p = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<Pending>
      const strings = [p.state, p.nonce, p.verifier, p.next].every((s) => typeof s === 'string' && s.length > 0)
      if (!strings || typeof p.issuedAt !== 'number') return undefined
      return { ...(p as Pending), next: safeReturnPath(p.next) }
    } catch {
      return undefined
    }
  }
}
