import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'

/** `/api/v1/elvs/{id}/evidence` and `/api/v1/evidence/{id}`. */
export function evidenceApiRoutes(app: App, services: Services): void {
  void app
  void services
}
