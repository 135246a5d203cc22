import fs from 'node:fs'
import path from 'node:path'
import { systemActor } from '../modules/auth/actor.ts'
import { MAX_FILE_BYTES } from '../modules/providers/providers.csv.ts'
import { defineCommand, UsageError } from './command.ts'
import { withServices } from './context.ts'

export const importProviders = defineCommand({
  name: 'import providers',
  summary: 'Import schools and other providers, with their latest inspection, from a CSV file.',
  details: [
    'The columns are authority_gss,reference,name,kind,last_inspected_on,summary,report_url (docs/providers-csv.md describes each). Providers are matched by reference: new ones are added, existing ones updated, none deleted.',
    'All or nothing: the whole file is checked first, and if any row has a problem nothing is imported and every problem is listed on standard error by row (the header is row 1) and column, with exit status 2.',
  ],
  options: {
    file: { type: 'string', value: 'FILE', help: 'The CSV file (UTF-8, comma-separated).', required: true },
  },
  examples: ['cyswllt import providers --file providers.csv'],
  async run(values, io) {
    const file = path.resolve(values.file)
    let text: string
    try {
      // Refused before reading, so a wrong file of gigabytes is not loaded into memory.
      const size = fs.statSync(file).size
      if (size > MAX_FILE_BYTES + 3) throw new UsageError(`${file} is ${(size / 1024 / 1024).toFixed(1)} MB: import at most ${MAX_FILE_BYTES / 1024 / 1024} MB at a time`)
      text = fs.readFileSync(file, 'utf8')
    } catch (e) {
      if (e instanceof UsageError) throw e
      const code = (e as NodeJS.ErrnoException).code
      throw new UsageError(code === 'ENOENT' ? `there is no file ${file}` : code === 'EISDIR' ? `${file} is a folder, not a file` : `cannot read ${file}: ${code ?? String(e)}`)
    }
    return withServices(io, async (services) => {
      const { inserted, updated } = await services.providers.importCsv(systemActor('cli'), text)
      io.out(`Imported ${inserted} new and updated ${updated} ${inserted + updated === 1 ? 'provider' : 'providers'} from ${file}.`)
      return 0
    })
  },
})
