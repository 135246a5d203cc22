import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'

/** Findings pages and API, the evidence matrix and the triangulation settings. */
export function findingsRoutes(app: App, services: Services): void {
  void app
  void services
}
