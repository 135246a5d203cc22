import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../config.ts'
import { connectDatabase } from '../../db/connect.ts'
import { runCli } from '../../cli/run.ts'
import type { Io } from '../../cli/command.ts'
import { commandDatabase, cyswllt, SLOW } from '../../../test/helpers/cli.ts'
import { testEngines } from '../../../test/helpers/engines.ts'
import { BUNDLE_SCHEMA } from './core-inspections.bundle.ts'
import { DEMO_BUNDLE } from './core-inspections.demo.ts'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cyswllt-core-cli-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

/** Runs the command line in this process, for what needs no database. */
async function run(argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), readLine: async () => undefined }
  const code = await runCli(argv, io)
  return { code, stdout: out.join('\n'), stderr: err.join('\n') }
}

describe('cyswllt schema import and the import group', () => {
  it('prints the bundle\'s JSON Schema, exit 0', async () => {
    const r = await run(['schema', 'import'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual(BUNDLE_SCHEMA)
  })

  it('takes a file after "import", keeps "import providers", and says what it needs', async () => {
    const help = await run(['import', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: cyswllt import <providers|FILE> [options]')
    expect((await run(['import', 'providers', '--help'])).stdout).toContain('Usage: cyswllt import providers --file FILE')
    expect((await run(['import', 'bundle.json', '--help'])).stdout).toContain('Usage: cyswllt import --file FILE [--check]')
    const none = await run(['import'])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('say which import command to run: providers, or which file: "cyswllt import FILE"')
    const missing = await run(['import', path.join(dir, 'no-such.json')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toBe(`cyswllt import: there is no file ${path.join(dir, 'no-such.json')}. See "cyswllt import --help".`)
    const notJson = path.join(dir, 'not.json')
    fs.writeFileSync(notJson, '{ "coreInspections": ')
    const refused = await run(['import', notJson])
    expect(refused.code).toBe(2)
    expect(refused.stderr.split('\n')).toEqual([
      expect.stringMatching(/^cyswllt import: the bundle is not valid JSON: /),
      'cyswllt import: nothing was imported: 1 problem.',
    ])
  })
})

for (const engine of testEngines()) {
  describe(`cyswllt import FILE.json on ${engine.name}`, () => {
    const dataDir = fs.mkdtempSync(path.join(dir, 'data-'))
    const database = commandDatabase(engine, 'core_cli', dataDir)
    const env = database.env
    afterAll(() => database.drop())

    /** Every row the import writes, read in this process. */
    async function tables() {
      const database = await connectDatabase(loadConfig({ NODE_ENV: 'test', ...env }))
      try {
        const d = database.db
        return {
          inspections: await d.selectFrom('core_inspection').selectAll().orderBy('id').execute(),
          recommendations: await d.selectFrom('core_recommendation').selectAll().orderBy('id').execute(),
          findings: await d.selectFrom('core_finding').selectAll().orderBy('id').execute(),
          findingThemes: await d.selectFrom('core_finding_theme').selectAll().orderBy('finding_id').orderBy('theme_id').execute(),
          practice: await d.selectFrom('core_effective_practice').selectAll().orderBy('id').execute(),
          themes: await d.selectFrom('theme').select(['id', 'key']).orderBy('id').execute(),
        }
      } finally {
        await database.close()
      }
    }

    it('imports the example (exit 0), changes nothing the second time, and refuses a bad bundle whole (exit 2)', { timeout: 3 * SLOW }, async () => {
      await database.create()
      const ok = await cyswllt(['import', DEMO_BUNDLE], env)
      expect(ok.code).toBe(0)
      expect(ok.stdout).toBe(`Imported core inspections from ${DEMO_BUNDLE}: 4 created, 0 updated, 0 unchanged. 8 new themes: professional-relationships, use-of-information, quality-assurance, schools-causing-concern, vision-and-purpose, elected-member-scrutiny, working-together, learner-wellbeing.\n`)
      const before = await tables()
      expect(before.inspections).toHaveLength(4)

      const again = await cyswllt(['import', DEMO_BUNDLE], env)
      expect(again.code).toBe(0)
      expect(again.stdout).toBe(`Imported core inspections from ${DEMO_BUNDLE}: 0 created, 0 updated, 4 unchanged.\n`)
      expect(await tables()).toEqual(before)

      const bundle = JSON.parse(fs.readFileSync(DEMO_BUNDLE, 'utf8'))
      bundle.coreInspections[0].findings[0].text = 'Changed, but the bundle is refused.'
      bundle.coreInspections[0].recommendations[1].themes = ['attendence']
      bundle.coreInspections[2].academicYear = '2023-2025'
      const bad = path.join(dir, `bad-${engine.name}.json`)
      fs.writeFileSync(bad, JSON.stringify(bundle))
      const refused = await cyswllt(['import', bad], env)
      expect(refused.code).toBe(2)
      expect(refused.stdout).toBe('')
      expect(refused.stderr.trimEnd().split('\n')).toEqual([
        'cyswllt import: /coreInspections/0/recommendations/1/themes/0: there is no theme “attendence”: define it in the bundle’s themes or use a theme already recorded',
        'cyswllt import: /coreInspections/2/academicYear: 2023-2025 is not an academic year: the second year must follow the first, such as 2023-2024',
        'cyswllt import: nothing was imported: 2 problems.',
      ])
      expect(await tables()).toEqual(before)
    })
  })
}
