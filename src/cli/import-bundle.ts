import fs from 'node:fs'
import path from 'node:path'
import { AppError } from '../http/errors.ts'
import { translateDetail } from '../http/form-errors.ts'
import { I18n } from '../i18n/catalogue.ts'
import { systemActor } from '../modules/auth/actor.ts'
import { MAX_BUNDLE_BYTES, parseBundleText } from '../modules/core-inspections/core-inspections.bundle.ts'
import { defineCommand, UsageError, type Io } from './command.ts'
import { withServices } from './context.ts'

const NAME = 'cyswllt import'

/** Each problem on its own line, at its JSON Pointer; then how many, and that nothing was imported. */
function reportProblems(e: AppError, io: Io): number {
  const t = new I18n().translator('en')
  for (const d of e.details) io.err(`${NAME}: ${d.path ? `${d.path}: ` : ''}${translateDetail(d, t)}`)
  io.err(`${NAME}: nothing was imported: ${e.details.length} ${e.details.length === 1 ? 'problem' : 'problems'}.`)
  return 2
}

export const importBundle = defineCommand({
  name: 'import',
  summary: 'Import core inspections from a bundle (JSON): cyswllt import FILE.json',
  details: [
    'The bundle holds core inspections with their recommendations, findings and effective practice, and any new themes they use ("cyswllt schema import" prints its JSON Schema; docs/core-inspections-import.md explains it). A core inspection is identified by its authority and academic year: a new one is created, one already recorded is updated in place, and importing the same bundle again changes nothing.',
    'All or nothing: the whole bundle is checked first, and if anything is wrong nothing is imported and every problem is listed on standard error at its JSON Pointer (e.g. /coreInspections/0/recommendations/1/themes/0), with exit status 2.',
  ],
  options: {
    file: { type: 'string', value: 'FILE', help: 'The bundle (a JSON file, UTF-8); it may also be given as the first word after "import".', required: true },
    check: { type: 'boolean', help: 'Only check the bundle: report its problems, import nothing.' },
  },
  examples: ['cyswllt import docs/examples/core-inspections-2023-2024.json', 'cyswllt import bundle.json --check'],
  async run(values, io) {
    const file = path.resolve(values.file)
    let text: string
    try {
      // Refused before reading, so a wrong file of gigabytes is not loaded into memory.
      const size = fs.statSync(file).size
      if (size > MAX_BUNDLE_BYTES) throw new UsageError(`${file} is ${(size / 1024 / 1024).toFixed(1)} MB: import at most ${MAX_BUNDLE_BYTES / 1024 / 1024} MB at a time`)
      text = fs.readFileSync(file, 'utf8')
    } catch (e) {
      if (e instanceof UsageError) throw e
      const code = (e as NodeJS.ErrnoException).code
      throw new UsageError(code === 'ENOENT' ? `there is no file ${file}` : code === 'EISDIR' ? `${file} is a folder, not a file` : `cannot read ${file}: ${code ?? String(e)}`)
    }
    const parsed = parseBundleText(text)
    if (!parsed.ok) return reportProblems(new AppError('validation_failed', 'not JSON', [parsed.problem]), io)
    return withServices(io, async (services) => {
      try {
        if (values.check) {
          const problems = await services.coreInspections.check(parsed.value)
          if (problems.length) return reportProblems(new AppError('validation_failed', 'invalid', problems), io)
          io.out(`${file}: no problems found; nothing was imported (--check).`)
          return 0
        }
        const r = await services.coreInspections.importBundle(systemActor('cli'), parsed.value)
        const themes = r.themesCreated.length ? ` ${r.themesCreated.length} new ${r.themesCreated.length === 1 ? 'theme' : 'themes'}: ${r.themesCreated.join(', ')}.` : ''
        io.out(`Imported core inspections from ${file}: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged.${themes}`)
        return 0
      } catch (e) {
        if (e instanceof AppError && e.code === 'validation_failed') return reportProblems(e, io)
        throw e
      }
    })
  },
})
