import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { text } from 'node:stream/consumers'
import { afterAll, describe, expect, it } from 'vitest'
import { LocalFileStore } from '../../storage/local-file-store.ts'
import { FileAttachments } from './attachments.service.ts'
import { cleanFileName, contentDisposition } from './file-names.ts'
import { detectMediaType } from './file-types.ts'
import { extractText, MAX_EXTRACTED_CHARS } from './text-extraction.ts'
import { sampleDocx, sampleElf, sampleLegacyDoc, samplePdf, samplePng, sampleZip } from './sample-files.ts'

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

/** Every file under a directory, however deep. */
const filesUnder = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name) : [])

describe('file types, detected from the content', () => {
  it('accepts PDF, DOCX, PNG and UTF-8 text, whatever they are called', async () => {
    expect(await detectMediaType(samplePdf(['Hello']))).toBe('application/pdf')
    expect(await detectMediaType(await sampleDocx(['Hello']))).toBe(DOCX)
    expect(await detectMediaType(samplePng())).toBe('image/png')
    expect(await detectMediaType(Buffer.from('Presenoldeb: mae’n gwella ŵ ŷ\n'))).toBe('text/plain')
    // HTML has no binary signature: it is kept as plain text and only ever served as such.
    expect(await detectMediaType(Buffer.from('<script>alert(1)</script>'))).toBe('text/plain')
  })

  it('refuses programs, plain zips, legacy Word, binary junk and damaged containers', async () => {
    expect(await detectMediaType(sampleElf())).toBeUndefined()
    expect(await detectMediaType(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]))).toBeUndefined()
    expect(await detectMediaType(sampleZip({ 'notes.txt': 'not a Word document' }))).toBeUndefined()
    expect(await detectMediaType(sampleLegacyDoc())).toBeUndefined()
    expect(await detectMediaType(Buffer.from([0x68, 0x69, 0x00, 0x21]))).toBeUndefined()
    expect(await detectMediaType(Buffer.from([0xc3, 0x28, 0x41]))).toBeUndefined()
    expect(await detectMediaType(Buffer.from('PK\x03\x04truncated', 'latin1'))).toBeUndefined()
  })
})

describe('text for search', () => {
  it('reads every page of a PDF', async () => {
    const words = await extractText('application/pdf', samplePdf(['Attendance is improving (slowly)', 'Exclusions fell in 2025']))
    expect(words).toContain('Attendance is improving (slowly)')
    expect(words).toContain('Exclusions fell in 2025')
    expect(words!.indexOf('Attendance')).toBeLessThan(words!.indexOf('Exclusions'))
  })

  it('reads a DOCX, and plain text as it is', async () => {
    expect(await extractText(DOCX, await sampleDocx(['Self-evaluation 2025', 'Welsh-medium growth plan']))).toMatch(/Self-evaluation 2025\s+Welsh-medium growth plan/)
    expect(await extractText('text/plain', Buffer.from('\uFEFFMinutes of the scrutiny committee'))).toBe('Minutes of the scrutiny committee')
  })

  it('gives null, not an error, for a damaged document and for images', async () => {
    expect(await extractText('application/pdf', Buffer.from('%PDF-1.4\nthis is not really a PDF'))).toBeNull()
    expect(await extractText(DOCX, sampleZip({ 'word/document.xml': '<not-closed' }))).toBeNull()
    expect(await extractText('image/png', samplePng())).toBeNull()
  })

  it('caps the text kept at a million characters', async () => {
    const long = await extractText('text/plain', Buffer.from('a'.repeat(MAX_EXTRACTED_CHARS + 10)))
    expect(long).toHaveLength(MAX_EXTRACTED_CHARS)
  })
})

describe('file names', () => {
  it('keeps only the last part of a path, without control characters', () => {
    expect(cleanFileName('../../x')).toBe('x')
    expect(cleanFileName('..\\..\\windows\\system.ini')).toBe('system.ini')
    expect(cleanFileName('/etc/passwd')).toBe('passwd')
    expect(cleanFileName('plan\r\n\tfinal\u0000.pdf')).toBe('planfinal.pdf')
    // A right-to-left override would show "report\u202Efdp.exe" as "reportexe.pdf".
    expect(cleanFileName('report\u202Efdp.exe')).toBe('reportfdp.exe')
    expect(cleanFileName('Cynllun  strategol   2025.docx')).toBe('Cynllun strategol 2025.docx')
  })

  it('falls back to "document" and keeps long names to 150 characters with their extension', () => {
    for (const raw of ['', '..', '../', '   ', '\u0007', undefined]) expect(cleanFileName(raw)).toBe('document')
    const long = cleanFileName(`${'ŵ'.repeat(300)}.pdf`)
    expect([...long]).toHaveLength(150)
    expect(long.endsWith('ŵ.pdf')).toBe(true)
  })

  it('makes a Content-Disposition header that nothing in a name can break out of', () => {
    const header = contentDisposition('../../Adroddiad "terfynol"\r\nSet-Cookie: x=1; ŵ.pdf')
    expect(header).not.toMatch(/[\r\n]/)
    expect(header).toMatch(/^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%._~!-]*$/)
    expect(header).toContain('filename="Adroddiad _terfynol_Set-Cookie: x=1; _.pdf"')
    expect(decodeURIComponent(header.split("UTF-8''")[1]!)).toBe('Adroddiad "terfynol"Set-Cookie: x=1; ŵ.pdf')
  })
})

describe('FileAttachments over a local directory', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cyswllt-attach-'))
  const attachments = new FileAttachments(new LocalFileStore(dir), 64 * 1024)
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('stores a checked file under a random key, with its type, size, hash and text', async () => {
    const data = samplePdf(['Strategic plan for schools'])
    const file = await attachments.prepare({ fileName: '../../x', data })
    expect(file).toMatchObject({ fileName: 'x', mediaType: 'application/pdf', sizeBytes: data.length })
    expect(file.storageKey).toMatch(/^[0-9a-f-]{36}$/)
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(file.extractedText).toContain('Strategic plan for schools')
    // Nothing is written anywhere but under the store's directory, named by the key.
    expect(filesUnder(dir)).toEqual([file.storageKey])
    expect(await text(await attachments.open(file.storageKey))).toBe(data.toString())
    await attachments.discard(file)
    expect(filesUnder(dir)).toEqual([])
    await expect(attachments.open(file.storageKey)).rejects.toMatchObject({ code: 'not_found' })
  })

  it('refuses a file over the limit (413), of another type (415) or empty, and stores nothing', async () => {
    await expect(attachments.prepare({ fileName: 'big.txt', data: Buffer.alloc(64 * 1024 + 1, 0x61) })).rejects.toMatchObject({
      code: 'payload_too_large', status: 413, details: [{ path: 'file', messageKey: 'documents.error.tooLarge', params: { max: '0.1 MB' } }],
    })
    await expect(attachments.prepare({ fileName: 'report.pdf', data: sampleElf() })).rejects.toMatchObject({
      code: 'unsupported_media_type', status: 415, details: [{ path: 'file', messageKey: 'documents.error.type', params: { name: 'report.pdf' } }],
    })
    await expect(attachments.prepare({ fileName: 'plan.docx', data: sampleZip({ 'plan.txt': 'x' }) })).rejects.toMatchObject({ status: 415 })
    await expect(attachments.prepare({ fileName: 'empty.txt', data: Buffer.alloc(0) })).rejects.toMatchObject({ code: 'validation_failed' })
    expect(filesUnder(dir)).toEqual([])
  })
})
