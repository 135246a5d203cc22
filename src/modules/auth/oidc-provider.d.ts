/**
 * oidc-provider ships no types, and @types/oidc-provider is not installed: this declares only the
 * part of it that the single sign-on tests use to run a real provider.
 */
declare module 'oidc-provider' {
  import type { Server } from 'node:http'

  interface Account {
    accountId: string
    claims(use: string, scope: string): Promise<Record<string, unknown> & { sub: string }>
  }

  interface Configuration {
    clients?: Array<Record<string, unknown>>
    claims?: Record<string, string[]>
    findAccount?: (ctx: unknown, sub: string) => Promise<Account | undefined>
    cookies?: { keys?: string[] }
    features?: Record<string, { enabled: boolean }>
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration)
    listen(port: number, host: string, callback?: () => void): Server
  }
}
