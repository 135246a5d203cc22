import type { Translate } from '../../i18n/catalogue.ts'
import type { InsightsRecords, InspectionRecord } from './insights.repository.ts'
import type {
  ElvStrandTheme, InsightsArea, InsightsEffectivePractice, InsightsLang, InsightsPoint, InsightsRecommendation,
  InsightsSource, InsightsSummary, PointEdit, RecordText,
} from './insights.types.ts'
import { findingSentence, findingTextSentence, inspectedSentence, numberWord, recommendationSentence } from './wording.ts'

type Finding = InspectionRecord['findings'][number] & { gssCode: string; frameworkKey: string | null }

/**
 * Writes the Early Insights summary from the records, in one language: per area the points going
 * well and needing to improve (findings sharing a theme and kind, counted by authority), the
 * overview of recommendations, effective practice, the year's figures, and issued ELV letters as a
 * separate strand. Pure: the same records give the same summary, so it can be checked and cached.
 */
export function writeSummary(records: InsightsRecords, opts: { academicYear: string; lang: InsightsLang; t: Translate; now: string }): InsightsSummary {
  const { lang, t, academicYear } = opts
  const nameOf = (gss: string) => records.authorities.get(gss)?.[lang] ?? gss
  const byName = (a: string, b: string) => nameOf(a).localeCompare(nameOf(b), lang === 'cy' ? 'cy' : 'en-GB')
  const inspected = [...new Set(records.inspections.map((i) => i.gssCode))].sort(byName)
  const of = inspected.length
  const themeLabel = (id: number) => records.themes.get(id)?.[lang] ?? String(id)
  const themeKey = (id: number) => records.themes.get(id)?.key ?? String(id)
  const edit = (key: string): PointEdit | null => {
    const e = records.edits.get(key)
    return e ? { text: e.text, by: e.by, at: e.at } : null
  }
  // A record's own words in the language it was recorded in, with the other language when recorded too.
  const textIn = (source: InsightsSource, gssCode: string, en: string, cy: string, recorded: InsightsLang): RecordText => {
    const other: InsightsLang = recorded === 'cy' ? 'en' : 'cy'
    const original = (recorded === 'cy' ? cy : en).trim() ? (recorded === 'cy' ? cy : en) : (other === 'cy' ? cy : en)
    const translated = (other === 'cy' ? cy : en).trim()
    const originalLang = (recorded === 'cy' ? cy : en).trim() ? recorded : other
    return {
      source, gssCode, authority: nameOf(gssCode), text: original, lang: originalLang,
      translation: translated && originalLang === recorded ? { text: other === 'cy' ? cy : en, lang: other } : null,
    }
  }

  const figures = {
    coreInspections: records.inspections.length,
    byMedium: {
      welsh: records.inspections.filter((i) => i.medium === 'welsh').length,
      english: records.inspections.filter((i) => i.medium === 'english').length,
      bilingual: records.inspections.filter((i) => i.medium === 'bilingual').length,
      notRecorded: records.inspections.filter((i) => i.medium === null).length,
    },
    caseStudies: records.inspections.reduce((n, i) => n + i.effectivePractice.length, 0),
    elvsIssued: records.letters.length,
  }
  const base = {
    academicYear, lang,
    title: t('insights.summary.title', { year: academicYear }),
    authoritiesInspected: of,
    figures,
    elvStrand: elvStrand(records, lang, nameOf, themeLabel, themeKey, byName),
    publication: records.publication,
    generatedAt: opts.now,
  }
  if (of === 0) {
    return {
      ...base, message: t('insights.summary.empty', { year: academicYear }), intro: '',
      areas: [], recommendations: [], effectivePractice: [], charts: { recommendationsByTheme: [], findingsByArea: [] },
    }
  }

  // Areas: matched to the framework when the records say which area they are, else by the name as written.
  const findings: Finding[] = records.inspections.flatMap((i) => i.findings.map((f) => ({ ...f, gssCode: i.gssCode, frameworkKey: i.frameworkKey })))
  const areaOf = (f: { area: string; areaCode: string | null; frameworkKey: string | null }) => {
    const known = f.areaCode && f.frameworkKey ? records.areas.get(`${f.frameworkKey}|${f.areaCode}`) : undefined
    return known
      ? { id: `${f.frameworkKey}|${f.areaCode}`, name: known[lang], position: known.position }
      : { id: `name|${f.area.trim().toLocaleLowerCase('en-GB')}`, name: f.area.trim(), position: Number.MAX_SAFE_INTEGER }
  }
  const areaList: Array<{ id: string; name: string; position: number; first: number }> = []
  findings.forEach((f, n) => {
    const a = areaOf(f)
    if (!areaList.some((x) => x.id === a.id)) areaList.push({ ...a, first: n })
  })
  areaList.sort((x, y) => x.position - y.position || x.first - y.first)

  const point = (area: string, kind: 'going_well' | 'needs_to_improve', members: Finding[], themeId: number | null): InsightsPoint => {
    const authorities = [...new Set(members.map((f) => f.gssCode))].sort(byName)
    const count = authorities.length
    const theme = themeId === null ? `finding:${members[0]!.id}` : themeKey(themeId)
    const key = `${area}|${kind}|${theme}`
    const details = members.map((f) => textIn({ type: 'finding', id: String(f.id) }, f.gssCode, f.textEn, f.textCy, f.lang)).sort((x, y) => byName(x.gssCode, y.gssCode))
    // A finding without a theme is its own point, completed by its own words.
    const sentence = themeId === null
      ? findingTextSentence(count, of, lowerFirst(details[0]!.text), lang)
      : findingSentence(count, of, kind, inSentence(themeLabel(themeId)), lang)
    return {
      key, theme, label: themeId === null ? details[0]!.text : themeLabel(themeId), count, of, authorities, sentence, edited: edit(key),
      sources: members.map((f): InsightsSource => ({ type: 'finding', id: String(f.id) })), details,
    }
  }
  const pointsFor = (areaId: string, kind: 'going_well' | 'needs_to_improve'): InsightsPoint[] => {
    const mine = findings.filter((f) => f.kind === kind && areaOf(f).id === areaId)
    const byTheme = new Map<number, Finding[]>()
    const points: InsightsPoint[] = []
    for (const f of mine) {
      if (!f.themes.length) points.push(point(areaId, kind, [f], null))
      for (const theme of f.themes) byTheme.set(theme, [...(byTheme.get(theme) ?? []), f])
    }
    for (const [theme, members] of byTheme) points.push(point(areaId, kind, members, theme))
    // Most widely shared first; then by label, so the order never depends on how the records were read.
    return points.sort((x, y) => y.count - x.count || x.label.localeCompare(y.label, lang === 'cy' ? 'cy' : 'en-GB'))
  }
  const areas: InsightsArea[] = areaList.map((a) => {
    const goingWell = pointsFor(a.id, 'going_well')
    const needsToImprove = pointsFor(a.id, 'needs_to_improve')
    return {
      area: a.name,
      summary: t('insights.summary.areaSummary', {
        area: a.name,
        // Numbers one to nine in words; Welsh "cryfder" is masculine, "agwedd" feminine.
        goingWell: goingWell.length
          ? t('insights.summary.pointsGoingWell', { count: goingWell.length, n: numberWord(goingWell.length, lang, { gender: 'm', beforeNoun: true }) })
          : t('insights.summary.noneGoingWell'),
        needsToImprove: needsToImprove.length
          ? t('insights.summary.pointsNeedsToImprove', { count: needsToImprove.length, n: numberWord(needsToImprove.length, lang, { gender: 'f', beforeNoun: true }) })
          : t('insights.summary.noneNeedsToImprove'),
      }),
      goingWell, needsToImprove,
    }
  })

  // Overview of recommendations: one sentence per theme, most frequent first.
  const recs = records.inspections.flatMap((i) => i.recommendations.map((r) => ({ ...r, gssCode: i.gssCode })))
  const recThemes = new Map<number, typeof recs>()
  for (const r of recs) for (const theme of r.themes) recThemes.set(theme, [...(recThemes.get(theme) ?? []), r])
  const recommendations: InsightsRecommendation[] = [...recThemes].map(([themeId, members]) => {
    const authorities = [...new Set(members.map((r) => r.gssCode))].sort(byName)
    const key = `recommendation|${themeKey(themeId)}`
    return {
      key, theme: themeKey(themeId), label: themeLabel(themeId), count: authorities.length, of, authorities,
      sentence: recommendationSentence(authorities.length, of, inSentence(themeLabel(themeId)), lang),
      edited: edit(key),
      sources: members.map((r): InsightsSource => ({ type: 'recommendation', id: String(r.id) })),
      // "R1 Improve attendance": the reference only before words that exist in that language.
      details: members.map((r) => textIn({ type: 'recommendation', id: String(r.id) }, r.gssCode, withRef(r.ref, r.textEn), withRef(r.ref, r.textCy), r.lang))
        .sort((x, y) => byName(x.gssCode, y.gssCode)),
    }
  }).sort((x, y) => y.count - x.count || x.label.localeCompare(y.label, lang === 'cy' ? 'cy' : 'en-GB'))

  const effectivePractice: InsightsEffectivePractice[] = records.inspections
    .flatMap((i) => i.effectivePractice.map((p) => {
      const mine = lang === 'cy' ? { q: p.questionCy, x: p.textCy } : { q: p.questionEn, x: p.textEn }
      const shown = mine.x.trim() ? { ...mine, lang } : { q: p.lang === 'cy' ? p.questionCy : p.questionEn, x: p.lang === 'cy' ? p.textCy : p.textEn, lang: p.lang }
      const area = p.areaCode && i.frameworkKey ? records.areas.get(`${i.frameworkKey}|${p.areaCode}`)?.[lang] ?? p.area : p.area
      return { id: String(p.id), gssCode: i.gssCode, authority: nameOf(i.gssCode), area, question: shown.q, text: shown.x, lang: shown.lang, reportUrl: i.reportUrl }
    }))
    .sort((x, y) => byName(x.gssCode, y.gssCode))

  const kindLabel = (kind: 'going_well' | 'needs_to_improve') => t(`insights.summary.kind.${kind}`)
  return {
    ...base,
    message: null,
    intro: inspectedSentence(of, academicYear, lang),
    areas,
    recommendations,
    effectivePractice,
    charts: {
      recommendationsByTheme: recommendations.map((r) => ({ label: r.label, count: r.count })),
      findingsByArea: areaList.flatMap((a) => (['going_well', 'needs_to_improve'] as const).map((kind) => ({
        area: a.name, kind, kindLabel: kindLabel(kind), count: findings.filter((f) => f.kind === kind && areaOf(f).id === a.id).length,
      }))),
    },
  }
}

/** Issued ELV letters of the period, by the themes of their findings: how many authorities, of those with a letter. */
function elvStrand(
  records: InsightsRecords, lang: InsightsLang, nameOf: (gss: string) => string, themeLabel: (id: number) => string, themeKey: (id: number) => string,
  byName: (a: string, b: string) => number,
): InsightsSummary['elvStrand'] {
  void nameOf
  const lettered = [...new Set(records.letters.map((l) => l.gssCode))]
  const of = lettered.length
  const byTheme = new Map<number, Array<{ gssCode: string; kind: 'working_well' | 'improvement'; id: number; letterId: number }>>()
  for (const l of records.letters) {
    for (const f of l.findings) for (const theme of f.themes) byTheme.set(theme, [...(byTheme.get(theme) ?? []), { gssCode: l.gssCode, kind: f.kind, id: f.id, letterId: l.letterId }])
  }
  const themes: ElvStrandTheme[] = [...byTheme].map(([themeId, members]) => {
    const well = [...new Set(members.filter((m) => m.kind === 'working_well').map((m) => m.gssCode))]
    const improve = [...new Set(members.filter((m) => m.kind === 'improvement').map((m) => m.gssCode))]
    const label = inSentence(themeLabel(themeId))
    const sentences = [
      ...(well.length ? [findingSentence(well.length, of, 'going_well', label, lang)] : []),
      ...(improve.length ? [findingSentence(improve.length, of, 'needs_to_improve', label, lang)] : []),
    ]
    return {
      theme: themeKey(themeId), label: themeLabel(themeId), workingWell: well.length, improvement: improve.length,
      authorities: [...new Set(members.map((m) => m.gssCode))].sort(byName),
      sentence: sentences.join(' '),
      sources: [
        ...[...new Set(members.map((m) => m.letterId))].map((id): InsightsSource => ({ type: 'letter', id: String(id) })),
        ...members.map((m): InsightsSource => ({ type: 'elvFinding', id: String(m.id) })),
      ],
    }
  }).sort((x, y) => y.authorities.length - x.authorities.length || x.label.localeCompare(y.label, lang === 'cy' ? 'cy' : 'en-GB'))
  return { letters: records.letters.length, themes }
}

function withRef(ref: string, text: string): string {
  return text.trim() ? `${ref} ${text}`.trim() : ''
}

/** A theme's label inside a sentence: "Additional learning needs" reads "additional learning needs"; ADY stays. */
function inSentence(label: string): string {
  return lowerFirst(label)
}

/** Words that keep their capital inside a sentence (languages, the country, the inspectorate). */
const PROPER_NOUNS = new Set(['Welsh', 'English', 'Wales', 'Cymraeg', 'Saesneg', 'Cymru', 'Estyn'])

function lowerFirst(text: string): string {
  const trimmed = text.trim()
  const firstWord = /^[\p{L}]+/u.exec(trimmed)?.[0] ?? ''
  // Keep acronyms (ALN, ADY) and proper nouns ("Welsh-medium education") as written.
  if (PROPER_NOUNS.has(firstWord) || !/^[A-Z][a-z]/.test(trimmed)) return trimmed
  return trimmed[0]!.toLowerCase() + trimmed.slice(1)
}
