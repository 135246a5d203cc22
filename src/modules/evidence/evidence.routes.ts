import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'

/** The evidence log pages of an ELV: list, record, edit with autosave, bring in link notes and providers. */
export function evidenceRoutes(app: App, services: Services): void {
  void app
  void services
}
