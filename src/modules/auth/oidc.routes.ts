import type { App } from '../../app.ts'
import type { Config } from '../../config.ts'
import type { Services } from '../../services.ts'

/** OpenID Connect single sign-on; only when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set. */
export async function oidcRoutes(_app: App, _services: Services, config: Config): Promise<void> {
  if (!config.oidc) return
}
