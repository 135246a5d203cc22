import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import S3rver from 's3rver'

// s3rver accepts any signature made with these keys.
const KEY = 'S3RVER'

export interface S3TestServer {
  bucket: string
  endpoint: string
  /** The configuration that points the app at this server (for `useTestApp(engine, { env })`). */
  env: Record<string, string>
  /** The keys of every object in the bucket now. */
  keys(): Promise<string[]>
  close(): Promise<void>
}

/**
 * For tests only: a real S3-protocol server (s3rver) on 127.0.0.1, a random port and a fresh
 * directory, with one bucket made at start. Stop it with `close()`.
 */
export async function startS3TestServer(bucket = 'cyswllt-evidence'): Promise<S3TestServer> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cyswllt-s3-'))
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] })
  const { port } = await server.run()
  const endpoint = `http://127.0.0.1:${port}`
  const client = new S3Client({ endpoint, region: 'eu-west-2', forcePathStyle: true, credentials: { accessKeyId: KEY, secretAccessKey: KEY } })
  return {
    bucket, endpoint,
    env: { S3_BUCKET: bucket, S3_ENDPOINT: endpoint, S3_REGION: 'eu-west-2', S3_ACCESS_KEY_ID: KEY, S3_SECRET_ACCESS_KEY: KEY, S3_FORCE_PATH_STYLE: 'true' },
    async keys() {
      const res = await client.send(new ListObjectsV2Command({ Bucket: bucket }))
      return (res.Contents ?? []).map((o) => o.Key!).sort()
    },
    async close() {
      client.destroy()
      await server.close()
      fs.rmSync(directory, { recursive: true, force: true })
    },
  }
}
