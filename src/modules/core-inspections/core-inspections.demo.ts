import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Services } from '../../services.ts'
import { systemActor } from '../auth/actor.ts'
import type { ImportResult } from './core-inspections.service.ts'

/** The demo's core inspections: four fictional ones of 2023-2024, also the documented example bundle. */
export const DEMO_BUNDLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/examples/core-inspections-2023-2024.json')

/**
 * Imports the example bundle as an administrator would. Swansea's inspection is the one the demo's
 * visits already cite (same R1 to R3): it is completed in place, its recommendations kept. Running
 * the demo again changes nothing.
 */
export function importDemoCoreInspections(services: Services): Promise<ImportResult> {
  return services.coreInspections.importText(systemActor('demo'), fs.readFileSync(DEMO_BUNDLE, 'utf8'))
}
