import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'

export function linkNoteRoutes(_app: App, _services: Services): void {}
