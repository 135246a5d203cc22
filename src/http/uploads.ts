import type { MultipartFile } from '@fastify/multipart'

/** A file part of a multipart form, as routes see it in `req.body`: its name as sent and its bytes. */
export interface UploadedPart {
  kind: 'file'
  fileName: string
  data: Buffer
}

export const isUploadedPart = (v: unknown): v is UploadedPart =>
  typeof v === 'object' && v !== null && (v as UploadedPart).kind === 'file' && Buffer.isBuffer((v as UploadedPart).data)

/** The non-empty files sent in one field (a browser sends an empty part when no file was chosen). */
export function uploadsIn(body: unknown, field: string): UploadedPart[] {
  const value = (body as Record<string, unknown> | undefined)?.[field]
  return (Array.isArray(value) ? value : [value]).filter(isUploadedPart).filter((p) => p.data.length > 0)
}

/**
 * Keeps a file part's name beside its bytes in `req.body` (the plain key-value mode keeps only the
 * bytes). Reading to the end here is what lets the size limit answer 413 before any route runs.
 */
export async function keepFilePart(part: MultipartFile & { value?: unknown }): Promise<void> {
  const data = await part.toBuffer()
  part.value = { kind: 'file', fileName: part.filename, data } satisfies UploadedPart
}
