import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'

/** Admin pages for the managed list of themes: add and merge; and the themes API. */
export function themesRoutes(app: App, services: Services): void {
  void app
  void services
}
