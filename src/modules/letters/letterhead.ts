import type { Db } from '../../db/database.ts'
import { settingsGroup } from '../settings/settings.repository.ts'
import type { Letterhead } from './letter.model.ts'

/** The inspectorate's letterhead as it is printed today. */
export const DEFAULT_LETTERHEAD: Letterhead = {
  organisation: { en: 'Estyn', cy: 'Estyn' },
  address: { en: 'Anchor Court, Keen Road, Cardiff CF24 5JW', cy: 'Llys Angor, Heol Keen, Caerdydd CF24 5JW' },
  phone: '0300 123 4500',
  email: 'enquiries@estyn.gov.wales',
  website: 'www.estyn.gov.wales',
}

/** One setting per field, in `app_setting`, plus a version so two admins cannot overwrite each other. */
export const LETTERHEAD_KEYS = {
  organisationEn: 'letterhead.organisation.en',
  organisationCy: 'letterhead.organisation.cy',
  addressEn: 'letterhead.address.en',
  addressCy: 'letterhead.address.cy',
  phone: 'letterhead.phone',
  email: 'letterhead.email',
  website: 'letterhead.website',
} as const
const VERSION_KEY = 'letterhead.version'

type Field = keyof typeof LETTERHEAD_KEYS

const valueOf = (l: Letterhead, field: Field): string => {
  switch (field) {
    case 'organisationEn': return l.organisation.en
    case 'organisationCy': return l.organisation.cy
    case 'addressEn': return l.address.en
    case 'addressCy': return l.address.cy
    default: return l[field]
  }
}

export interface LetterheadSettings extends Letterhead {
  /** 1 until first saved. */
  version: number
  updatedAt: string | null
}

/** Reads and writes the letterhead settings; any field never saved is the default. */
export function letterheadSettings(db: Db) {
  return {
    async read(): Promise<LetterheadSettings> {
      const { values, version, updatedAt } = await settingsGroup(db, VERSION_KEY).read(Object.values(LETTERHEAD_KEYS))
      // A contact line may be saved empty (left off the letter); a name or address never may, so an empty one is the default.
      const stored = (field: Field, mayBeEmpty: boolean): string => {
        const value = values.get(LETTERHEAD_KEYS[field])
        return value === undefined || (!mayBeEmpty && value.trim() === '') ? valueOf(DEFAULT_LETTERHEAD, field) : value
      }
      return {
        organisation: { en: stored('organisationEn', false), cy: stored('organisationCy', false) },
        address: { en: stored('addressEn', false), cy: stored('addressCy', false) },
        phone: stored('phone', true),
        email: stored('email', true),
        website: stored('website', true),
        version,
        updatedAt,
      }
    },

    /** Stores every field; false (nothing written) when someone else saved first. */
    save(expectedVersion: number, letterhead: Letterhead, now: string): Promise<boolean> {
      const fields = Object.keys(LETTERHEAD_KEYS) as Field[]
      return settingsGroup(db, VERSION_KEY).save(expectedVersion, Object.fromEntries(fields.map((f) => [LETTERHEAD_KEYS[f], valueOf(letterhead, f)])), now)
    },
  }
}

/** The letterhead settings (admin-editable), the defaults where none are set. */
export async function readLetterhead(db: Db): Promise<Letterhead> {
  const { organisation, address, phone, email, website } = await letterheadSettings(db).read()
  return { organisation, address, phone, email, website }
}
