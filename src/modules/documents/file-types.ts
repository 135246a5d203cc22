import { fileTypeFromBuffer } from 'file-type'

/** The kinds of file the evidence log accepts, by the media type detected from their content. */
export const ALLOWED_TYPES = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PPTX',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
  'text/plain': 'TXT',
} as const

export type AllowedMediaType = keyof typeof ALLOWED_TYPES

/** "PDF, DOCX, ..., TXT": for messages and hints. */
export const ALLOWED_NAMES = Object.values(ALLOWED_TYPES).join(', ')

/** What the file chooser offers first (a hint to the browser; the content is still checked). */
export const ACCEPT_ATTRIBUTE = '.pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.gif,.webp,.txt,text/plain'

const isAllowed = (mime: string): mime is AllowedMediaType => Object.hasOwn(ALLOWED_TYPES, mime)

/**
 * The file's type from its bytes, never from its name or the type the browser claimed; undefined
 * when it is not one we accept. A file with no binary signature is plain text only when it is
 * valid UTF-8 with no NUL bytes.
 */
export async function detectMediaType(data: Buffer): Promise<AllowedMediaType | undefined> {
  let detected: { mime: string } | undefined
  try {
    detected = await fileTypeFromBuffer(data)
  } catch {
    // A damaged container (a truncated zip) makes the detector give up: not a file we can vouch for.
    return undefined
  }
  if (detected) return isAllowed(detected.mime) && detected.mime !== 'text/plain' ? detected.mime : undefined
  return isPlainText(data) ? 'text/plain' : undefined
}

export function isPlainText(data: Buffer): boolean {
  if (data.includes(0)) return false
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data)
    return true
  } catch {
    return false
  }
}
