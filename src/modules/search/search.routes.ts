import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'

/** The search page and `GET /api/v1/evidence`. */
export function searchRoutes(app: App, services: Services): void {
  void app
  void services
}
