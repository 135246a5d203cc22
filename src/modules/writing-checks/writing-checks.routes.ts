import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'

/** Admin pages and API for the writing rules. */
export function writingChecksRoutes(app: App, services: Services): void {
  void app
  void services
}
