/**
 * The Early Insights summary as data: what `cyswllt insights --format json` prints and what the
 * page, the DOCX and the PDF are drawn from. The names in the JSON are read by automated
 * checks: keep them.
 */

export type InsightsLang = 'en' | 'cy'

/** A record a generated sentence rests on, so a reader can check it. */
export interface InsightsSource {
  type: 'finding' | 'recommendation' | 'effectivePractice' | 'elvFinding' | 'letter'
  id: string
}

/** One record's own words, in the language it was recorded in (and the other when recorded too). */
export interface RecordText {
  /** The record these words are from. */
  source: InsightsSource
  gssCode: string
  authority: string
  text: string
  /** The language `text` is in: the one it was recorded in. */
  lang: InsightsLang
  /** The same words in the other language, when recorded in both. */
  translation: { text: string; lang: InsightsLang } | null
}

/** A reviewer's wording of a point, kept beside the generated sentence. */
export interface PointEdit {
  text: string
  by: string
  at: string
}

/** One point: the findings of one kind sharing a theme across authorities. */
export interface InsightsPoint {
  /** Stable across regenerations, so an edit stays with its point: `area|kind|theme`. */
  key: string
  /** Theme key; for a finding with no theme, `finding:<id>`. */
  theme: string
  label: string
  count: number
  of: number
  /** GSS codes, in the authorities' order. */
  authorities: string[]
  /** The generated sentence, in the summary's language. */
  sentence: string
  /** The reviewer's wording, when edited; the published text is this, else `sentence`. */
  edited: PointEdit | null
  sources: InsightsSource[]
  /** The findings' own words. */
  details: RecordText[]
}

export interface InsightsArea {
  /** The area's name as written in the records (the framework's name in the summary's language when matched). */
  area: string
  /** One summary sentence for the area. */
  summary: string
  goingWell: InsightsPoint[]
  needsToImprove: InsightsPoint[]
}

export interface InsightsRecommendation {
  key: string
  theme: string
  label: string
  count: number
  of: number
  authorities: string[]
  sentence: string
  edited: PointEdit | null
  sources: InsightsSource[]
  details: RecordText[]
}

export interface InsightsEffectivePractice {
  id: string
  gssCode: string
  authority: string
  area: string
  question: string
  text: string
  /** The language `text` (and `question`) are in. */
  lang: InsightsLang
  reportUrl: string | null
}

/** Issued ELV letters of the year, as a separate strand: by the themes of their focus areas' findings. */
export interface ElvStrandTheme {
  theme: string
  label: string
  workingWell: number
  improvement: number
  /** Authorities whose issued letter has findings on this theme. */
  authorities: string[]
  sentence: string
  sources: InsightsSource[]
}

export interface InsightsFigures {
  coreInspections: number
  byMedium: { welsh: number; english: number; bilingual: number; notRecorded: number }
  /** Effective practice identified (case studies). */
  caseStudies: number
  elvsIssued: number
}

export interface InsightsSummary {
  /** `2023-2024`, or a range `2021-2022..2023-2024`. */
  academicYear: string
  lang: InsightsLang
  title: string
  authoritiesInspected: number
  /** Said when there is nothing to summarise (no core inspections in the year). */
  message: string | null
  /** The opening sentence: how many were inspected. */
  intro: string
  areas: InsightsArea[]
  recommendations: InsightsRecommendation[]
  effectivePractice: InsightsEffectivePractice[]
  figures: InsightsFigures
  elvStrand: { letters: number; themes: ElvStrandTheme[] }
  /** Chart data (the charts are drawn from these; the tables beside them show the same). */
  charts: {
    recommendationsByTheme: Array<{ label: string; count: number }>
    findingsByArea: Array<{ area: string; kind: 'going_well' | 'needs_to_improve'; kindLabel: string; count: number }>
  }
  publication: { publishedAt: string; publishedBy: string } | null
  /** When this summary was generated. */
  generatedAt: string
}
