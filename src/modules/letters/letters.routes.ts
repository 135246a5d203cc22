import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'

/** The letter tab of an ELV (build, edit side by side, problems), its API, and the review and issue actions. */
export function lettersRoutes(app: App, services: Services): void {
  void app
  void services
}
