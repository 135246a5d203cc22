import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import mammoth from 'mammoth'
import { afterAll, describe, expect, it } from 'vitest'
import { commandDatabase, cyswllt, SLOW } from '../../test/helpers/cli.ts'
import { testEngines } from '../../test/helpers/engines.ts'
import { DEMO_BUNDLE } from '../modules/core-inspections/core-inspections.demo.ts'
import { extractText } from '../modules/documents/text-extraction.ts'
import type { InsightsSummary } from '../modules/insights/insights.types.ts'
import { runCli } from './run.ts'
import type { Io } from './command.ts'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cyswllt-insights-cli-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

/** The command line in this process, for refusals that come before any database is opened. */
async function run(argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), readLine: async () => undefined }
  const code = await runCli(argv, io)
  return { code, stdout: out.join('\n'), stderr: err.join('\n') }
}

const PDF_TEXT = (text: string | null) => (text ?? '').replace(/\s+/g, ' ')

describe('cyswllt insights: what is refused before the database is opened', () => {
  it('refuses a year not written like 2023-2024 with exit 2, saying how to write it', async () => {
    for (const year of ['2023', '2023-2025', '2024/2025', '2024-2023']) {
      const r = await run(['insights', '--year', year])
      expect(r.code, year).toBe(2)
      expect(r.stdout, year).toBe('')
      expect(r.stderr, year).toContain(`--year must be an academic year such as 2023-2024, or a range such as 2021-2022..2023-2024, not "${year}"`)
    }
    expect((await run(['insights'])).code).toBe(2)
  })

  it('needs --out for DOCX and PDF, and knows its formats and languages', async () => {
    for (const format of ['docx', 'pdf']) {
      const r = await run(['insights', '--year', '2023-2024', '--format', format])
      expect(r.code, format).toBe(2)
      expect(r.stderr, format).toContain(`--format ${format} writes a file: say where with --out FILE`)
    }
    expect((await run(['insights', '--year', '2023-2024', '--format', 'odt'])).code).toBe(2)
    expect((await run(['insights', '--year', '2023-2024', '--lang', 'fr'])).code).toBe(2)
    const help = await run(['insights', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--format FORMAT')
  })
})

for (const engine of testEngines()) {
  describe(`cyswllt insights on ${engine.name}`, () => {
    const dataDir = fs.mkdtempSync(path.join(dir, 'data-'))
    const database = commandDatabase(engine, 'insights_cli', dataDir)
    const env = database.env
    afterAll(() => database.drop())
    const out = (name: string) => path.join(dataDir, name)

    it('says there is nothing to summarise in a year with no core inspections, exit 0, the empty summary on stdout', { timeout: 2 * SLOW }, async () => {
      await database.create()
      const r = await cyswllt(['insights', '--year', '2023-2024'], env)
      expect(r.code).toBe(0)
      const s = JSON.parse(r.stdout) as InsightsSummary
      expect(s).toMatchObject({ academicYear: '2023-2024', authoritiesInspected: 0, areas: [], recommendations: [], effectivePractice: [] })
      expect(r.stderr).toContain('No core inspections are recorded for 2023-2024, so there is nothing to summarise yet.')
    })

    it('prints the summary of the example as JSON on stdout, in English and in Welsh', { timeout: 3 * SLOW }, async () => {
      expect((await cyswllt(['import', DEMO_BUNDLE], env)).code).toBe(0)
      const en = await cyswllt(['insights', '--year', '2023-2024'], env)
      expect(en.code).toBe(0)
      expect(en.stderr).toBe('')
      const s = JSON.parse(en.stdout) as InsightsSummary
      expect(s).toMatchObject({ academicYear: '2023-2024', lang: 'en', authoritiesInspected: 4, message: null })
      expect(s.recommendations[0]).toMatchObject({ theme: 'self-evaluation', count: 4, of: 4, sentence: 'All four local authorities received a recommendation focused on self-evaluation and improvement planning.' })
      expect(s.effectivePractice).toHaveLength(4)

      const cy = await cyswllt(['insights', '--year', '2023-2024', '--format', 'json', '--lang', 'cy'], env)
      expect(cy.code).toBe(0)
      expect(JSON.parse(cy.stdout)).toMatchObject({ lang: 'cy', title: 'Mewnwelediadau Cynnar 2023-2024', authoritiesInspected: 4 })
    })

    it('writes HTML, DOCX and PDF files that read back with the summary\'s words', { timeout: 4 * SLOW }, async () => {
      const html = await cyswllt(['insights', '--year', '2023-2024', '--format', 'html', '--lang', 'cy', '--out', out('summary.html')], env)
      expect(html.code).toBe(0)
      expect(html.stdout).toBe('')
      expect(html.stderr).toContain(`Wrote ${out('summary.html')}.`)
      const page = fs.readFileSync(out('summary.html'), 'utf8')
      expect(page).toMatch(/^<!DOCTYPE html>\s*<html lang="cy">/)
      expect(page).toContain('Mewnwelediadau Cynnar 2023-2024')

      const docx = await cyswllt(['insights', '--year', '2023-2024', '--format', 'docx', '--out', out('summary.docx')], env)
      expect(docx.code).toBe(0)
      const words = (await mammoth.extractRawText({ path: out('summary.docx') })).value
      expect(words).toContain('Early Insights 2023-2024')
      expect(words).toContain('All four local authorities received a recommendation focused on self-evaluation and improvement planning.')
      expect(words).toContain('Effective practice identified during inspection')

      const pdf = await cyswllt(['insights', '--year', '2023-2024', '--format', 'pdf', '--lang', 'cy', '--out', out('summary.pdf')], env)
      expect(pdf.code).toBe(0)
      const text = PDF_TEXT(await extractText('application/pdf', fs.readFileSync(out('summary.pdf'))))
      expect(text).toContain('Mewnwelediadau Cynnar 2023-2024')
      expect(text).toContain('Derbyniodd pob un o\'r pedwar awdurdod lleol argymhelliad')
    })
  })
}
