/**
 * The letter rendering benchmark: the bilingual feedback letter of a visit with two focus areas
 * and twelve findings, rendered from the one document model to DOCX and to PDF (both languages,
 * Welsh first, as issued). Reported as p50/p95 per format and as a ratio to a baseline measured in
 * the same run: rendering the same letter as HTML. No database: the model is the renderers' fixture,
 * which is what the letters service builds. Runs in this process.
 *
 *   BENCH_LETTER_RENDERS  measured renders of each format (default 100)
 *   BENCH_LETTER_WARMUP   warm-up renders of each, not measured (default 10)
 */
import { performance } from 'node:perf_hooks'
import mammoth from 'mammoth'
import type { LetterModel } from '../src/modules/letters/letter.model.ts'
import { defaultLetterWords } from '../src/modules/letters/render/layout.ts'
import { renderLetterHtml } from '../src/modules/letters/render/html.ts'
import { renderLetterDocx } from '../src/modules/letters/render/docx.ts'
import { renderLetterPdf } from '../src/modules/letters/render/pdf.ts'
import { SAMPLE_FINDINGS, sampleLetter } from '../src/modules/letters/render/letter.fixture.ts'
import { latency, type Latency } from './search.ts'

export const LETTER_TARGET = { p95UnderMs: 300 }

function count(name: string, fallback: number): number {
  const raw = process.env[name]
  const n = raw ? Number(raw) : fallback
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, not "${raw}"`)
  return n
}

export interface LetterBenchReport {
  letter: { languages: 'both'; focusAreas: number; findings: number; sections: number; paragraphs: number }
  renders: { measured: number; warmup: number }
  baseline: { name: string; latencyMs: Latency }
  docx: { latencyMs: Latency; bytes: number }
  pdf: { latencyMs: Latency; bytes: number; pages: number }
  ratios: { docxP95VsBaselineP95: number; pdfP95VsBaselineP95: number; docxP50VsBaselineP50: number; pdfP50VsBaselineP50: number }
  target: typeof LETTER_TARGET
  targetMet: boolean
}

/** One render of each first, checked, so the figures cannot be measuring an empty or broken letter. */
async function checkOutputs(model: LetterModel): Promise<{ docxBytes: number; pdfBytes: number; pdfPages: number }> {
  const html = renderLetterHtml(model, 'both')
  const docx = await renderLetterDocx(model, 'both')
  const pdf = await renderLetterPdf(model, 'both')
  const text = (await mammoth.extractRawText({ buffer: docx })).value
  const missing = SAMPLE_FINDINGS.flatMap((f) => [f.cy, f.en]).filter((f) => !text.includes(f) || !html.includes(f.replace(/'/g, '&#39;')))
  if (missing.length) throw new Error(`the letter rendered without ${missing.length} of its findings' text`)
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('the PDF renderer did not write a PDF')
  // Page objects are plain dictionaries in pdfmake's output (it writes no object streams).
  const pdfPages = (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length
  if (pdfPages < 2) throw new Error(`the bilingual PDF has ${pdfPages} page(s); each language starts a page`)
  return { docxBytes: docx.length, pdfBytes: pdf.length, pdfPages }
}

export async function lettersBench(): Promise<LetterBenchReport> {
  const measured = count('BENCH_LETTER_RENDERS', 100)
  const warmup = count('BENCH_LETTER_WARMUP', 10)
  // The catalogue's words are loaded once, as the app does at start-up, not inside the timings.
  const words = defaultLetterWords()
  const model = sampleLetter()
  const focusAreas = new Set(model.sections.map((s) => s.focusAreaId).filter((id) => id !== null)).size
  const findings = model.sections.flatMap((s) => s.paragraphs).reduce((n, p) => n + p.findingIds.length, 0)
  if (focusAreas !== 2 || findings !== 12) throw new Error(`the benchmark letter has ${focusAreas} focus areas and ${findings} findings, not 2 and 12`)
  const outputs = await checkOutputs(model)

  const html: number[] = []
  const docx: number[] = []
  const pdf: number[] = []
  const time = async (into: number[] | null, run: () => unknown) => {
    const t = performance.now()
    await run()
    into?.push(performance.now() - t)
  }
  console.error(`bench: letters: ${warmup} warm-up renders of each format, then ${measured} measured (HTML baseline, DOCX, PDF; both languages)`)
  for (let i = 0; i < warmup + measured; i++) {
    const keep = i >= warmup
    // Interleaved, one of each per round, so a busy moment on the machine falls on all three alike.
    await time(keep ? html : null, () => renderLetterHtml(model, 'both', words))
    await time(keep ? docx : null, () => renderLetterDocx(model, 'both', words))
    await time(keep ? pdf : null, () => renderLetterPdf(model, 'both', words))
  }
  const b = latency(html)
  const d = latency(docx)
  const p = latency(pdf)
  const ratio = (x: number, y: number) => Math.round((x / y) * 10) / 10
  return {
    letter: { languages: 'both', focusAreas, findings, sections: model.sections.length, paragraphs: model.sections.reduce((n, s) => n + s.paragraphs.length, 0) },
    renders: { measured, warmup },
    baseline: { name: 'the same letter rendered as a standalone HTML document (same model, same layout step)', latencyMs: b },
    docx: { latencyMs: d, bytes: outputs.docxBytes },
    pdf: { latencyMs: p, bytes: outputs.pdfBytes, pages: outputs.pdfPages },
    ratios: {
      docxP95VsBaselineP95: ratio(d.p95, b.p95), pdfP95VsBaselineP95: ratio(p.p95, b.p95),
      docxP50VsBaselineP50: ratio(d.p50, b.p50), pdfP50VsBaselineP50: ratio(p.p50, b.p50),
    },
    target: LETTER_TARGET,
    targetMet: d.p95 < LETTER_TARGET.p95UnderMs && p.p95 < LETTER_TARGET.p95UnderMs,
  }
}
