import type { Language } from '../../db/schema.ts'
import type { LetterModel, LetterParagraphModel, LetterSectionModel } from '../letters/letter.model.ts'

export type DiffOp = 'same' | 'ins' | 'del'
export interface DiffSegment { op: DiffOp; text: string }

/** Larger than this many cells, the table costs more than the diff is worth: the text is shown as replaced whole. */
const MAX_CELLS = 2_000_000

/** Each word with the white space after it; white space before the first word is a token of its own. */
export function wordTokens(text: string): string[] {
  return text.match(/^\s+|\S+\s*/g) ?? []
}

/** Words compare without the spacing after them, so a re-wrapped line is not a change. */
const key = (token: string) => token.trimEnd()

function push(out: DiffSegment[], op: DiffOp, text: string): void {
  if (!text) return
  const last = out[out.length - 1]
  if (last && last.op === op) last.text += text
  else out.push({ op, text })
}

/**
 * A word-level diff of `before` and `after`: the longest common subsequence of their words,
 * the rest marked deleted or inserted (deletions first). Joining the `same` and `del` segments
 * gives `before` back, `same` and `ins` gives `after`, apart from the spacing after a word
 * kept, which is `after`'s.
 */
export function diffWords(before: string, after: string): DiffSegment[] {
  const a = wordTokens(before)
  const b = wordTokens(after)
  const out: DiffSegment[] = []
  // The common start and end need no table: most edits change a few words in the middle.
  let start = 0
  while (start < a.length && start < b.length && key(a[start]!) === key(b[start]!)) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && key(a[endA - 1]!) === key(b[endB - 1]!)) { endA--; endB-- }
  push(out, 'same', b.slice(0, start).join(''))

  const n = endA - start
  const m = endB - start
  if (n === 0 || m === 0 || n * m > MAX_CELLS) {
    push(out, 'del', a.slice(start, endA).join(''))
    push(out, 'ins', b.slice(start, endB).join(''))
  } else {
    // lcs[i][j]: the longest common subsequence of a[start+i..endA) and b[start+j..endB).
    const width = m + 1
    const lcs = new Uint16Array((n + 1) * width)
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * width + j] = key(a[start + i]!) === key(b[start + j]!)
          ? lcs[(i + 1) * width + j + 1]! + 1
          : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!)
      }
    }
    let i = 0
    let j = 0
    while (i < n && j < m) {
      const ta = a[start + i]!
      const tb = b[start + j]!
      if (key(ta) === key(tb)) { push(out, 'same', tb); i++; j++ }
      else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) { push(out, 'del', ta); i++ }
      else { push(out, 'ins', tb); j++ }
    }
    while (i < n) push(out, 'del', a[start + i++]!)
    while (j < m) push(out, 'ins', b[start + j++]!)
  }
  push(out, 'same', b.slice(endB).join(''))
  return out
}

/** True when a diff has any insertion or deletion. */
export const hasChanges = (segments: readonly DiffSegment[]) => segments.some((s) => s.op !== 'same')

// ---- two saved letters, side by side ---------------------------------------------------------

export type ChangeStatus = 'same' | 'changed' | 'added' | 'removed'
type BilingualDiff = Record<Language, DiffSegment[]>

export interface ParagraphDiff {
  /** The paragraph's id in the later version (in the earlier one when removed). */
  id: number
  style: LetterParagraphModel['style']
  status: ChangeStatus
  text: BilingualDiff
}

export interface SectionDiff {
  key: string
  status: ChangeStatus
  heading: BilingualDiff
  /** The heading as it reads in the later version (the earlier, when the section was removed). */
  headingText: Record<Language, string>
  level: 2 | 3
  paragraphs: ParagraphDiff[]
}

const LANGS: readonly Language[] = ['cy', 'en']

function both(before: Record<Language, string> | undefined, after: Record<Language, string> | undefined): BilingualDiff {
  const diff = {} as BilingualDiff
  for (const lang of LANGS) diff[lang] = diffWords(before?.[lang] ?? '', after?.[lang] ?? '')
  return diff
}

function statusOf(diff: BilingualDiff): ChangeStatus {
  return LANGS.some((l) => hasChanges(diff[l])) ? 'changed' : 'same'
}

/**
 * Orders `after`'s items with `before`'s removed ones among them: each removed item comes just
 * after the kept item that preceded it in `before`.
 */
function interleave<T>(before: readonly T[], after: readonly T[], partner: Map<T, T>): Array<{ before?: T; after?: T }> {
  const kept = new Set(partner.values())
  const out: Array<{ before?: T; after?: T }> = []
  let next = 0
  const removedUpTo = (limit: number) => {
    for (; next < limit; next++) if (!kept.has(before[next]!)) out.push({ before: before[next]! })
  }
  const removedRun = () => {
    while (next < before.length && !kept.has(before[next]!)) out.push({ before: before[next++]! })
  }
  removedRun()
  for (const item of after) {
    const was = partner.get(item)
    if (was === undefined) { out.push({ after: item }); continue }
    // A kept item moved earlier leaves what it passed to be listed here.
    removedUpTo(before.indexOf(was) + 1)
    out.push({ after: item, before: was })
    removedRun()
  }
  removedUpTo(before.length)
  return out
}

/**
 * Pairs each paragraph of `after` with the paragraph of `before` it came from: by id (an edit
 * keeps a paragraph's id); then, between two paragraphs so paired, the others in order (a rebuilt
 * section has new ids for the same paragraphs), so a rewrite shows as changed words rather than
 * as one paragraph removed and another added.
 */
function pairParagraphs(before: readonly LetterParagraphModel[], after: readonly LetterParagraphModel[]): Map<LetterParagraphModel, LetterParagraphModel> {
  const partner = new Map<LetterParagraphModel, LetterParagraphModel>()
  const indexOf = new Map(before.map((p, i) => [p.id, i]))
  for (const p of after) {
    const i = indexOf.get(p.id)
    if (i !== undefined) partner.set(p, before[i]!)
  }
  const used = new Set(partner.values())
  let run: LetterParagraphModel[] = []
  let last = -1
  const pairRun = (next: number) => {
    const candidates = before.filter((p, i) => i > last && i < next && !used.has(p))
    run.forEach((p, k) => {
      const c = candidates[k]
      if (c) { partner.set(p, c); used.add(c) }
    })
    run = []
  }
  for (const p of after) {
    const was = partner.get(p)
    if (!was) { run.push(p); continue }
    const i = indexOf.get(was.id)!
    pairRun(i)
    last = Math.max(last, i)
  }
  pairRun(before.length)
  return partner
}

function paragraphDiff(before: LetterParagraphModel | undefined, after: LetterParagraphModel | undefined): ParagraphDiff {
  const text = both(before?.text, after?.text)
  const status: ChangeStatus = !before ? 'added' : !after ? 'removed' : statusOf(text) === 'changed' || before.style !== after.style ? 'changed' : 'same'
  const p = (after ?? before)!
  return { id: p.id, style: p.style, status, text }
}

function sectionDiff(before: LetterSectionModel | undefined, after: LetterSectionModel | undefined): SectionDiff {
  const s = (after ?? before)!
  const beforeParagraphs = before?.paragraphs ?? []
  const afterParagraphs = after?.paragraphs ?? []
  const paragraphs = interleave(beforeParagraphs, afterParagraphs, pairParagraphs(beforeParagraphs, afterParagraphs))
    .map((x) => paragraphDiff(x.before, x.after))
  const heading = both(before?.heading, after?.heading)
  const status: ChangeStatus = !before ? 'added' : !after ? 'removed'
    : statusOf(heading) === 'changed' || paragraphs.some((p) => p.status !== 'same') ? 'changed' : 'same'
  return { key: s.key, status, heading, headingText: { en: s.heading?.en ?? '', cy: s.heading?.cy ?? '' }, level: s.level ?? 2, paragraphs }
}

/** Two saved versions of a letter compared section by section (by key), paragraph by paragraph, word by word in each language. */
export function compareLetters(before: Pick<LetterModel, 'sections'>, after: Pick<LetterModel, 'sections'>): SectionDiff[] {
  const byKey = new Map(before.sections.map((s) => [s.key, s]))
  const partner = new Map<LetterSectionModel, LetterSectionModel>()
  for (const s of after.sections) {
    const was = byKey.get(s.key)
    if (was) partner.set(s, was)
  }
  return interleave(before.sections, after.sections, partner).map((x) => sectionDiff(x.before, x.after))
}
