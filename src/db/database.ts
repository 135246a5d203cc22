import type { Kysely, Transaction } from 'kysely'
import type { DB } from './schema.ts'

export type Engine = 'sqlite' | 'postgres'

/** The one handle the app holds on its data: a typed query builder over either engine. */
export interface Database {
  readonly engine: Engine
  readonly db: Kysely<DB>
  /** PostgreSQL only: the schema this app works in when not the default (tests give each file one). */
  readonly schema?: string
  close(): Promise<void>
}

/** What repositories take: the database itself or an open transaction. */
export type Db = Kysely<DB> | Transaction<DB>
