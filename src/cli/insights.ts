import fs from 'node:fs'
import path from 'node:path'
import { defineCommand, UsageError } from './command.ts'
import { withServices } from './context.ts'

const FORMATS = ['json', 'html', 'docx', 'pdf'] as const
type Format = (typeof FORMATS)[number]

export const insights = defineCommand({
  name: 'insights',
  summary: 'Write the Early Insights summary of an academic year from the core inspections recorded.',
  details: [
    'Per area what is going well and what needs to improve (findings sharing a theme, counted by authority), an overview of recommendations, effective practice, the year\'s figures, and issued ELV letters as a separate strand. Every point lists the records it came from.',
    'Without --out, JSON and HTML go to standard output; DOCX and PDF need --out. A year with no core inspections gives an empty summary with a message (exit status 0); a year not written like 2023-2024 (or a range 2021-2022..2023-2024) is refused with exit status 2.',
  ],
  options: {
    year: { type: 'string', value: 'YEAR', help: 'The academic year, e.g. 2023-2024, or a range 2021-2022..2023-2024.', required: true },
    format: { type: 'string', value: 'FORMAT', help: 'json (default), html, docx or pdf.' },
    lang: { type: 'string', value: 'LANG', help: 'en (default) or cy.' },
    out: { type: 'string', value: 'FILE', help: 'Write to this file instead of standard output.' },
  },
  examples: ['cyswllt insights --year 2023-2024', 'cyswllt insights --year 2023-2024 --format pdf --lang cy --out early-insights-2023-2024-cy.pdf'],
  async run(values, io) {
    const format = (values.format ?? 'json') as Format
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`)
    const lang = values.lang ?? 'en'
    if (lang !== 'en' && lang !== 'cy') throw new UsageError(`--lang must be en or cy, not "${values.lang}"`)
    if ((format === 'docx' || format === 'pdf') && !values.out) throw new UsageError(`--format ${format} writes a file: say where with --out FILE`)
    const { parsePeriod } = await import('../modules/insights/insights.service.ts')
    if (!parsePeriod(values.year)) throw new UsageError(`--year must be an academic year such as 2023-2024, or a range such as 2021-2022..2023-2024, not "${values.year}"`)
    return withServices(io, async (services) => {
      const summary = await services.insights.summary(values.year, lang)
      const t = services.i18n.translator(lang)
      let output: string | Buffer
      if (format === 'json') output = JSON.stringify(summary, null, 2)
      else if (format === 'html') output = await (await import('../modules/insights/render/html.ts')).summaryDocument(summary, t)
      else if (format === 'docx') output = await (await import('../modules/insights/render/docx.ts')).summaryDocx(summary, t)
      else output = await (await import('../modules/insights/render/pdf.ts')).summaryPdf(summary, t)
      if (summary.message) io.err(summary.message)
      if (!values.out) {
        io.out(String(output))
        return 0
      }
      const file = path.resolve(values.out)
      fs.writeFileSync(file, output)
      io.err(`Wrote ${file}.`)
      return 0
    })
  },
})
