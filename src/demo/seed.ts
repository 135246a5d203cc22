import type { Role } from '../db/schema.ts'
import type { Services } from '../services.ts'
import { systemActor } from '../modules/auth/actor.ts'

/** Every demo address is under this reserved domain, so no demo e-mail can reach a real person. */
export const DEMO_DOMAIN = 'demo.cyswllt.invalid'

export interface DemoAccount {
  role: Role
  name: string
  email: string
  authorityCode: string | null
  /** The generated password; null when the account already existed (its password is not known). */
  password: string | null
}

/** What seedDemo made. Later demo content (visits, findings) is added here too. */
export interface DemoSeed {
  accounts: DemoAccount[]
}

// Cardiff and Swansea: two authorities that appear in every demo, one per authority-bound role.
const PEER_AUTHORITY = 'W06000015'
const LA_AUTHORITY = 'W06000011'

const PEOPLE: ReadonlyArray<{ role: Role; name: string; local: string; authorityCode?: string }> = [
  { role: 'admin', name: 'Demo Administrator', local: 'admin' },
  { role: 'reviewer', name: 'Demo Reviewer', local: 'reviewer' },
  { role: 'hmi', name: 'Demo HMI One', local: 'hmi.one' },
  { role: 'hmi', name: 'Demo HMI Two', local: 'hmi.two' },
  { role: 'peer', name: 'Demo Peer Inspector', local: 'peer', authorityCode: PEER_AUTHORITY },
  { role: 'la', name: 'Demo Authority User', local: 'la', authorityCode: LA_AUTHORITY },
]

const DIRECTORS: ReadonlyArray<{ gssCode: string; name: string; local: string }> = [
  { gssCode: PEER_AUTHORITY, name: 'Demo Director Cardiff', local: 'director.cardiff' },
  { gssCode: LA_AUTHORITY, name: 'Demo Director Swansea', local: 'director.swansea' },
]

/**
 * Fills a bootstrapped database with clearly fictional content to try the app with: one account
 * of every role, each with a generated password, and directors for two authorities. Accounts and
 * directors already there are left as they are, so running it twice does no harm.
 */
export async function seedDemo(services: Services): Promise<DemoSeed> {
  const actor = systemActor('demo')
  const accounts: DemoAccount[] = []
  for (const p of PEOPLE) {
    const email = `${p.local}@${DEMO_DOMAIN}`
    const existing = await services.users.byEmail(email)
    if (existing) {
      accounts.push({ role: existing.role, name: existing.name, email, authorityCode: existing.authority_code, password: null })
      continue
    }
    const { user, password } = await services.users.create(actor, { email, name: p.name, role: p.role, authorityCode: p.authorityCode })
    accounts.push({ role: user.role, name: user.name, email: user.email, authorityCode: user.authority_code, password })
  }
  for (const d of DIRECTORS) {
    const authority = await services.reference.getAuthority(d.gssCode)
    if (authority.director_name) continue
    await services.reference.updateAuthority(actor, d.gssCode, {
      nameEn: authority.name_en,
      nameCy: authority.name_cy,
      directorName: d.name,
      directorEmail: `${d.local}@${DEMO_DOMAIN}`,
      preferredLanguage: authority.preferred_language,
      version: authority.version,
    })
  }
  return { accounts }
}
