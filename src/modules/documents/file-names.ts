export const MAX_FILE_NAME = 150
const FALLBACK = 'document'

/**
 * A file's name as the sender gave it, made safe to show and to offer back on download: the last
 * path segment only (so `../../x` is `x`), no control or bidirectional-override characters, at
 * most 150 characters with its extension kept. It is never used as a path: files are stored
 * under random keys.
 */
export function cleanFileName(raw: unknown): string {
  if (typeof raw !== 'string') return FALLBACK
  const last = raw.normalize('NFC').split(/[/\\]/).pop() ?? ''
  // C0/C1 controls, and the Unicode controls that can make "exe.pdf" display as "fdp.exe".
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const visible = last.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
  const name = visible.replace(/\s+/g, ' ').trim()
  if (!name || /^\.+$/.test(name)) return FALLBACK
  return shorten(name, MAX_FILE_NAME)
}

/** Cuts a long name, keeping a short extension, without splitting a character in two. */
function shorten(name: string, max: number): string {
  const chars = [...name]
  if (chars.length <= max) return name
  const dot = name.lastIndexOf('.')
  const ext = dot > 0 ? [...name.slice(dot)] : []
  if (ext.length > 1 && ext.length <= 10) return chars.slice(0, max - ext.length).join('').trimEnd() + ext.join('')
  return chars.slice(0, max).join('').trimEnd()
}

/**
 * `Content-Disposition` for a download: an ASCII fallback (anything else, quotes and backslashes
 * become `_`) and the exact name as RFC 8187 UTF-8. Nothing a name contains can end the header.
 */
export function contentDisposition(fileName: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  const name = cleanFileName(fileName)
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_')
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`
}
