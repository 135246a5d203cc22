import type * as Mammoth from 'mammoth'
import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs'
import type { AllowedMediaType } from './file-types.ts'

/** More than enough for search; a 50 MB text file must not become one giant index row. */
export const MAX_EXTRACTED_CHARS = 1_000_000
/** A PDF that takes longer than this to read is stored without its text, not refused. */
const PDF_TIME_LIMIT_MS = 30_000

type PdfJs = typeof PdfJsModule
let pdfjs: Promise<PdfJs> | undefined
// Loaded on first use: it is large, and most requests never read a PDF.
const loadPdfJs = () => (pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs'))
// Loaded with the first Word file read, as pdf.js is with the first PDF.
let mammoth: Promise<typeof Mammoth> | undefined
const loadMammoth = () => (mammoth ??= import('mammoth'))

/** At most MAX_EXTRACTED_CHARS, and no NUL characters (PDF text can hold them; PostgreSQL text cannot). */
const cap = (text: string) => {
  const clean = text.includes('\u0000') ? text.replaceAll('\u0000', '') : text
  return clean.length > MAX_EXTRACTED_CHARS ? clean.slice(0, MAX_EXTRACTED_CHARS) : clean
}

/**
 * The words of a document, for search: PDF, DOCX and plain text; null for the rest (images,
 * spreadsheets, slides) and for a document that cannot be read, which is still kept.
 */
export async function extractText(mediaType: AllowedMediaType, data: Buffer): Promise<string | null> {
  try {
    switch (mediaType) {
      case 'text/plain': return cap(data.toString('utf8').replace(/^\uFEFF/, ''))
      case 'application/pdf': return await pdfText(data)
      case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document': return cap((await (await loadMammoth()).extractRawText({ buffer: data })).value.trim())
      default: return null
    }
  } catch {
    // A damaged or encrypted document is still worth keeping; it is just not searchable.
    return null
  }
}

async function pdfText(data: Buffer): Promise<string | null> {
  const { getDocument } = await loadPdfJs()
  const task = getDocument({
    data: new Uint8Array(data),
    // No code generated from the document, no fonts loaded: we want the text only.
    isEvalSupported: false, useSystemFonts: false, disableFontFace: true,
    // Errors are handled here; pdf.js's own warnings would only fill the log.
    verbosity: 0,
  })
  const deadline = Date.now() + PDF_TIME_LIMIT_MS
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), PDF_TIME_LIMIT_MS) })
  const read = (async () => {
    const doc = await task.promise
    const pages: string[] = []
    let length = 0
    for (let n = 1; n <= doc.numPages && length < MAX_EXTRACTED_CHARS && Date.now() < deadline; n++) {
      const page = await doc.getPage(n)
      const content = await page.getTextContent()
      const text = content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : '')).join('').replace(/[ \t]+/g, ' ').trim()
      page.cleanup()
      pages.push(text)
      length += text.length + 2
    }
    return cap(pages.join('\n\n').trim())
  })()
  try {
    return await Promise.race([read, timeout])
  } finally {
    clearTimeout(timer)
    // Frees the parser's memory (and stops it, if the time ran out).
    await task.destroy().catch(() => undefined)
  }
}
