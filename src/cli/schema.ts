import { BUNDLE_SCHEMA } from '../modules/core-inspections/core-inspections.bundle.ts'
import { defineCommand } from './command.ts'

export const schemaImport = defineCommand({
  name: 'schema import',
  summary: 'Print the JSON Schema of the core inspections import bundle.',
  details: [
    'The schema (JSON Schema draft 2020-12) describes every field of the file "cyswllt import FILE.json" takes; docs/core-inspections-import.md explains it with an example. Besides the shape, an import checks that the authorities, frameworks, areas and themes named exist.',
  ],
  options: {},
  examples: ['cyswllt schema import > core-inspections-import.schema.json'],
  async run(_values, io) {
    io.out(JSON.stringify(BUNDLE_SCHEMA, null, 2))
    return 0
  },
})
