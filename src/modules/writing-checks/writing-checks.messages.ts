import { I18n } from '../../i18n/catalogue.ts'
import type { Bilingual } from '../letters/letter.model.ts'

/** Messages of the letter-level checks (they read the letter's structure, not its words). `{heading}` is the focus area's heading. */
export interface LetterCheckMessages {
  noWorkingWell: Bilingual
  noImprovement: Bilingual
}

let catalogue: I18n | undefined

/**
 * A message of this module in both languages, as written in the catalogue (placeholders kept), so
 * the Welsh drafts are listed for review with every other string. Read once, when first needed.
 */
export function bilingualMessage(key: string): Bilingual {
  catalogue ??= new I18n()
  const en = catalogue.translator('en')(key)
  const cy = catalogue.translator('cy')(key)
  if (en === key || cy === key) throw new Error(`writing checks: no message ${key} in the catalogue`)
  return { en, cy }
}

export function letterCheckMessages(): LetterCheckMessages {
  return {
    noWorkingWell: bilingualMessage('writingChecks.letter.noWorkingWell'),
    noImprovement: bilingualMessage('writingChecks.letter.noImprovement'),
  }
}
