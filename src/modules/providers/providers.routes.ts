import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'

export function providerRoutes(_app: App, _services: Services): void {}
