import { FINDING_KINDS, type FindingKind, type Language, type Letter, type LetterParagraph, type LetterSection } from '../../db/schema.ts'
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
  const parts = sectionKeyParts(key)
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

/** What a section key says: 'focus:<id>' a focus area's section, 'focus:<id>:<kind>' one of its two parts. */
export function sectionKeyParts(key: string): { focusAreaId: number | null; findingKind: FindingKind | null; level: 2 | 3 } {
  const m = /^focus:(\d+)(?::(\w+))?$/.exec(key)
  if (!m) return { focusAreaId: null, findingKind: null, level: 2 }
  const kind = (FINDING_KINDS as readonly string[]).includes(m[2] ?? '') ? m[2] as FindingKind : null
  return { focusAreaId: Number(m[1]), findingKind: kind, level: kind ? 3 : 2 }
}

function findingIdsOf(json: string): number[] {
  try {
    return ids(JSON.parse(json))
  } catch {
    return []
  }
}

const EMPTY: Bilingual = { en: '', cy: '' }

/**
 * The letter as its tables hold it now, for when no revision matches its version (the letters
 * module writes one on every save, so this is a safety net). Everything but the sections comes
 * from `base`, the newest snapshot, when there is one.
 */
export function modelFromRows(letter: Letter, sections: readonly LetterSection[], paragraphs: readonly LetterParagraph[], base: LetterModel | undefined, fallback: { authority: Bilingual; today: string }): LetterModel {
  return {
    id: letter.id,
    elvId: letter.elv_id,
    state: letter.state,
    version: letter.version,
    date: base?.date ?? letter.letter_date ?? fallback.today,
    authority: base?.authority ?? fallback.authority,
    director: base?.director ?? { name: '', email: null },
    letterhead: base?.letterhead ?? { organisation: EMPTY, address: EMPTY, phone: '', email: '', website: '' },
    title: base?.title ?? EMPTY,
    sections: sections.map((s) => {
      const parts = sectionKeyParts(s.key)
      return {
        id: s.id,
        key: s.key,
        position: s.position,
        focusAreaId: s.focus_area_id,
        level: parts.level,
        findingKind: parts.findingKind,
        heading: { en: s.heading_en, cy: s.heading_cy },
        edited: s.edited === 1,
        translation: { original: null, current: s.translation_current === 1 },
        paragraphs: paragraphs.filter((p) => p.section_id === s.id).map((p) => ({
          id: p.id, style: p.style, text: { en: p.text_en, cy: p.text_cy }, findingIds: findingIdsOf(p.finding_ids), fixed: p.fixed === 1,
        })),
      }
    }),
  }
}
