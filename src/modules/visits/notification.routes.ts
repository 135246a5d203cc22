import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'

/** The printable notification letter and the admin's view of the outbox. */
export function notificationRoutes(_app: App, _services: Services): void {}
