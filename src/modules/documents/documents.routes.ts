import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'

/** Uploading documents (inspectors and the authority's portal) and downloading stored files. */
export function documentsRoutes(app: App, services: Services): void {
  void app
  void services
}
