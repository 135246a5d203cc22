import { FINDING_KINDS, type EvidenceKind, type FindingKind } from '../../db/schema.ts'
import type { Translate } from '../../i18n/catalogue.ts'
import type { Threshold, Triangulation } from './findings.rules.ts'
import type { FindingView, Matrix } from './findings.service.ts'

/** "3 items · 2 kinds · 2 sources", in the reader's language. */
export function countsText(tri: Pick<Triangulation, 'items' | 'kinds' | 'sources'>, t: Translate): string {
  return [
    t('findings.count.items', { count: tri.items }),
    t('findings.count.kinds', { count: tri.kinds }),
    t('findings.count.sources', { count: tri.sources }),
  ].join(' · ')
}

/** "a, b and c" in the reader's language. */
function listOf(parts: string[], t: Translate): string {
  if (parts.length <= 1) return parts[0] ?? ''
  return `${parts.slice(0, -1).join(', ')} ${t('findings.needs.and')} ${parts.at(-1)}`
}

/** What an insecure finding still needs ("Needs 1 more item and evidence of 1 more kind"); undefined when secure. */
export function needsText(tri: Triangulation, t: Translate): string | undefined {
  if (tri.secure) return undefined
  const parts = tri.missing.map((m) => t(`findings.needs.${m.rule}`, { count: m.need - m.have }))
  return t('findings.needs.text', { list: listOf(parts, t) })
}

/** Green when secure; yellow when some evidence is linked but not enough; red when none is. */
export function securityTag(tri: Triangulation, t: Translate) {
  if (tri.secure) return { text: t('findings.secure'), classes: 'govuk-tag--green' }
  return { text: t('findings.notSecure'), classes: tri.items > 0 ? 'govuk-tag--yellow' : 'govuk-tag--red' }
}

/** "A finding is secure when ... at least 3 items of evidence, of at least 2 kinds, from at least 2 sources." */
export function thresholdText(threshold: Threshold, t: Translate): string {
  return t('findings.threshold', {
    items: t('findings.count.items', { count: threshold.minItems }),
    kinds: t('findings.count.kinds', { count: threshold.minKinds }),
    sources: t('findings.count.sources', { count: threshold.minSources }),
  })
}

export interface FocusAreaSection<F> {
  id: number
  title: string
  kinds: Array<{ kind: FindingKind; findings: F[] }>
}

/** Each live focus area in position order, with its findings under "working well" then "improvement". */
export function groupByFocusArea<F extends Pick<FindingView, 'focusAreaId' | 'kind'>>(focusAreas: ReadonlyArray<{ id: number; title: string }>, findings: readonly F[]): Array<FocusAreaSection<F>> {
  return focusAreas.map((fa) => ({
    id: fa.id,
    title: fa.title,
    kinds: FINDING_KINDS.map((kind) => ({ kind, findings: findings.filter((f) => f.focusAreaId === fa.id && f.kind === kind) })),
  }))
}

export interface MatrixCell { count: number; gap: boolean }

/** The matrix as the table shows it: a zero in a focus area's row is a gap, marked for eye and screen reader. */
export function matrixTable(m: Matrix, t: Translate) {
  const cell = (count: number, gapsMatter: boolean): MatrixCell => ({ count, gap: gapsMatter && count === 0 })
  return {
    kinds: m.kinds.map((k) => ({ kind: k, label: t(`evidence.kind.${k}`) })),
    rows: m.rows.map((r) => ({
      title: r.focusArea.title,
      cells: m.kinds.map((k: EvidenceKind) => cell(r.counts[k], true)),
      total: cell(r.total, true),
      findings: cell(r.findings, true),
      summary: r.findings === 0
        ? { text: t('findings.matrix.noFindings'), classes: 'govuk-tag--red' }
        : r.notSecure === 0
          ? { text: t('findings.matrix.allSecure', { count: r.secure }), classes: 'govuk-tag--green' }
          : { text: t('findings.matrix.someNotSecure', { secure: r.secure, count: r.notSecure }), classes: 'govuk-tag--yellow' },
    })),
    untagged: m.untaggedTotal > 0 ? { cells: m.kinds.map((k) => cell(m.untagged[k], false)), total: cell(m.untaggedTotal, false) } : undefined,
  }
}

/** A finding's text as paragraphs, split where the writer started a new line. */
export function paragraphs(text: string): string[] {
  return text.split(/\n+/).map((p) => p.trim()).filter(Boolean)
}
