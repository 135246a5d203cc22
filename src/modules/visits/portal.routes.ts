import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'

/** The dashboard by role and the authority's own view of its visits. */
export function portalRoutes(_app: App, _services: Services): void {}
