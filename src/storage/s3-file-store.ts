import type { Readable } from 'node:stream'
import type * as S3 from '@aws-sdk/client-s3'
import type { S3Client } from '@aws-sdk/client-s3'
import type { Config } from '../config.ts'
import { notFound } from '../http/errors.ts'
import { checkStorageKey, type FileStore } from './file-store.ts'

export type S3Settings = NonNullable<Config['files']['s3']>

/** Files as objects in one bucket of S3 or any S3-compatible store (MinIO, Ceph, and the like). */
export class S3FileStore implements FileStore {
  readonly kind = 's3' as const
  private readonly bucket: string
  // The SDK (some 25 MB in memory) is loaded with the first file stored or read, not with the app.
  private sdk: Promise<{ s3: typeof S3; client: S3Client }> | undefined
  private loaded: S3Client | undefined

  constructor(private readonly settings: S3Settings) {
    this.bucket = settings.bucket
  }

  private connect(): Promise<{ s3: typeof S3; client: S3Client }> {
    return this.sdk ??= import('@aws-sdk/client-s3').then((s3) => {
      this.loaded = this.client(s3)
      return { s3, client: this.loaded }
    })
  }

  private client(s3: typeof S3): S3Client {
    const settings = this.settings
    return new s3.S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      // Without keys, the SDK's usual chain applies (environment, instance role).
      credentials: settings.accessKeyId && settings.secretAccessKey
        ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
        : undefined,
      // Newer SDKs add CRC checksums (and chunked trailers) to every request; many S3-compatible
      // servers reject or mangle those, and our bodies are whole buffers sent with their length.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    })
  }

  async put(key: string, data: Buffer, mediaType: string): Promise<void> {
    const { s3, client } = await this.connect()
    await client.send(new s3.PutObjectCommand({
      Bucket: this.bucket, Key: checkStorageKey(key), Body: data, ContentType: mediaType, ContentLength: data.length,
    }))
  }

  async get(key: string): Promise<Readable> {
    const { s3, client } = await this.connect()
    try {
      const res = await client.send(new s3.GetObjectCommand({ Bucket: this.bucket, Key: checkStorageKey(key) }))
      // In Node the body is the HTTP response itself: a Readable, streamed rather than buffered.
      if (!res.Body) throw notFound('file')
      return res.Body as Readable
    } catch (e) {
      if (isMissing(e)) throw notFound('file')
      throw e
    }
  }

  async delete(key: string): Promise<void> {
    // S3 answers a delete of a missing key with success, which is what the interface promises.
    const { s3, client } = await this.connect()
    await client.send(new s3.DeleteObjectCommand({ Bucket: this.bucket, Key: checkStorageKey(key) }))
  }

  /** Closes the client's sockets (tests, shutdown). */
  close(): void {
    this.loaded?.destroy()
  }
}

function isMissing(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } }
  return err?.name === 'NoSuchKey' || err?.name === 'NotFound' || err?.$metadata?.httpStatusCode === 404
}
