import type { Language } from '../../db/schema.ts'
import { parseSectionKey } from '../letters/letters.rules.ts'
import type { Bilingual, LetterModel, LetterParagraphModel, LetterSectionModel } from '../letters/letter.model.ts'

/**
 * Reading the letter as saved in `letter_revision.snapshot` (JSON of a LetterModel, written by the
 * letters module and by this one). Old or hand-made snapshots may lack fields: what the review
 * pages read is filled in rather than trusted.
 */

const text = (v: unknown): string => (typeof v === 'string' ? v : '')
const bilingual = (v: unknown): Bilingual => {
  const o = v && typeof v === 'object' ? v as Record<string, unknown> : {}
  return { en: text(o.en), cy: text(o.cy) }
}
const ids = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => Number.isInteger(x)) : [])

function paragraphOf(raw: unknown, i: number): LetterParagraphModel {
  const p = raw && typeof raw === 'object' ? raw as Record<string, unknown> : {}
  return {
    id: Number.isInteger(p.id) ? p.id as number : -(i + 1),
    style: p.style === 'bullet' ? 'bullet' : 'text',
    text: bilingual(p.text),
    findingIds: ids(p.findingIds),
    fixed: p.fixed === true,
  }
}

function sectionOf(raw: unknown, i: number): LetterSectionModel {
  const s = raw && typeof raw === 'object' ? raw as Record<string, unknown> : {}
  const key = typeof s.key === 'string' && s.key ? s.key : `section-${i + 1}`
  const parts = parseSectionKey(key)
  const translation = s.translation && typeof s.translation === 'object' ? s.translation as Record<string, unknown> : {}
  return {
    id: Number.isInteger(s.id) ? s.id as number : -(i + 1),
    key,
    position: Number.isInteger(s.position) ? s.position as number : i,
    focusAreaId: Number.isInteger(s.focusAreaId) ? s.focusAreaId as number : parts.focusAreaId,
    level: s.level === 3 ? 3 : s.level === 2 ? 2 : parts.level,
    findingKind: parts.findingKind,
    heading: bilingual(s.heading),
    edited: s.edited === true,
    translation: { original: translation.original === 'en' || translation.original === 'cy' ? translation.original as Language : null, current: translation.current !== false },
    paragraphs: Array.isArray(s.paragraphs) ? s.paragraphs.map(paragraphOf) : [],
  }
}

/** The letter as a snapshot holds it; undefined when the text is not a letter at all. */
export function readSnapshot(json: string): LetterModel | undefined {
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch {
    return undefined
  }
  if (!raw || typeof raw !== 'object' || !Array.isArray((raw as { sections?: unknown }).sections)) return undefined
  const m = raw as LetterModel
  return { ...m, sections: (m.sections as unknown[]).map(sectionOf) }
}
