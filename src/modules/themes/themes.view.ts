import type { Language } from '../../db/schema.ts'
import { themeLabel, type ThemeView } from './themes.service.ts'

/** A form value that may arrive once or several times (checkboxes), as a list of strings. */
export function chosenKeys(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null || value === '' ? [] : [value]
  return list.filter((v): v is string => typeof v === 'string')
}

/** Themes in the reader's language and alphabetical order, for checkboxes (`checked`) or a select (`selected`). */
export function themeItems(themes: readonly ThemeView[], lang: Language, chosen: unknown, mark: 'checked' | 'selected' = 'checked') {
  const picked = new Set(chosenKeys(chosen))
  return themes
    .map((t) => ({ value: t.key, text: themeLabel(t, lang), [mark]: picked.has(t.key) }))
    .sort((a, b) => a.text.localeCompare(b.text, lang === 'cy' ? 'cy' : 'en-GB'))
}
