import type { Db } from '../../db/database.ts'
import type { CoreFindingKind, FindingKind, InspectionMedium, Language } from '../../db/schema.ts'

export interface InspectionRecord {
  id: number
  gssCode: string
  academicYear: string
  frameworkKey: string | null
  medium: InspectionMedium | null
  reportUrl: string | null
  recommendations: Array<{ id: number; ref: string; textEn: string; textCy: string; lang: Language; themes: number[] }>
  findings: Array<{ id: number; area: string; areaCode: string | null; kind: CoreFindingKind; textEn: string; textCy: string; lang: Language; themes: number[] }>
  effectivePractice: Array<{ id: number; area: string; areaCode: string | null; questionEn: string; questionCy: string; textEn: string; textCy: string; lang: Language }>
}

export interface IssuedLetterRecord {
  elvId: number
  letterId: number
  gssCode: string
  issuedAt: string
  findings: Array<{ id: number; kind: FindingKind; themes: number[] }>
}

/** Everything an Early Insights summary is written from, for some academic years. */
export interface InsightsRecords {
  inspections: InspectionRecord[]
  letters: IssuedLetterRecord[]
  authorities: Map<string, { en: string; cy: string }>
  themes: Map<number, { key: string; en: string; cy: string }>
  /** `framework|code` -> the area's names and its place in the framework. */
  areas: Map<string, { en: string; cy: string; position: number }>
  edits: Map<string, { text: string; generated: string; by: string; at: string }>
  publication: { publishedAt: string; publishedBy: string } | null
}

const group = <T, K>(rows: T[], key: (r: T) => K): Map<K, T[]> => {
  const map = new Map<K, T[]>()
  for (const r of rows) {
    const k = key(r)
    const list = map.get(k)
    if (list) list.push(r)
    else map.set(k, [r])
  }
  return map
}

export function insightsRepository(db: Db) {
  return {
    /**
     * The records of the academic years, in a fixed order (authority, then position), read in a
     * handful of queries whatever their number. `yearLabel` keys the edits and the publication.
     */
    async records(years: string[], yearLabel: string, lang: Language, letterWindow: { from: string; to: string }): Promise<InsightsRecords> {
      const inspections = await db.selectFrom('core_inspection')
        .select(['id', 'authority_code', 'academic_year', 'framework_key', 'medium', 'report_url'])
        .where('academic_year', 'in', years).orderBy('authority_code').orderBy('academic_year').execute()
      const ids = inspections.map((i) => i.id)
      const none = [-1]
      const recommendations = await db.selectFrom('core_recommendation')
        .select(['id', 'core_inspection_id', 'code', 'text_en', 'text_cy', 'lang', 'position'])
        .where('core_inspection_id', 'in', ids.length ? ids : none).orderBy('core_inspection_id').orderBy('position').orderBy('id').execute()
      const recThemes = await db.selectFrom('core_recommendation_theme').select(['recommendation_id', 'theme_id'])
        .where('recommendation_id', 'in', recommendations.length ? recommendations.map((r) => r.id) : none).orderBy('theme_id').execute()
      const findings = await db.selectFrom('core_finding')
        .select(['id', 'core_inspection_id', 'area', 'framework_area_code', 'kind', 'text_en', 'text_cy', 'lang', 'position'])
        .where('core_inspection_id', 'in', ids.length ? ids : none).orderBy('core_inspection_id').orderBy('position').orderBy('id').execute()
      const findingThemes = await db.selectFrom('core_finding_theme').select(['finding_id', 'theme_id'])
        .where('finding_id', 'in', findings.length ? findings.map((f) => f.id) : none).orderBy('theme_id').execute()
      const practice = await db.selectFrom('core_effective_practice')
        .select(['id', 'core_inspection_id', 'area', 'framework_area_code', 'question_en', 'question_cy', 'text_en', 'text_cy', 'lang', 'position'])
        .where('core_inspection_id', 'in', ids.length ? ids : none).orderBy('core_inspection_id').orderBy('position').orderBy('id').execute()

      const recThemesBy = group(recThemes, (r) => r.recommendation_id)
      const findingThemesBy = group(findingThemes, (r) => r.finding_id)
      const recsBy = group(recommendations, (r) => r.core_inspection_id)
      const findingsBy = group(findings, (r) => r.core_inspection_id)
      const practiceBy = group(practice, (r) => r.core_inspection_id)

      // Issued ELV letters of the period, with their findings' kinds and themes: the separate strand.
      const letters = await db.selectFrom('letter').innerJoin('elv', 'elv.id', 'letter.elv_id')
        .select(['letter.id as letterId', 'elv.id as elvId', 'elv.authority_code', 'letter.issued_at'])
        .where('letter.state', '=', 'issued').where('letter.issued_at', '>=', letterWindow.from).where('letter.issued_at', '<', letterWindow.to)
        .orderBy('elv.authority_code').orderBy('letter.issued_at').execute()
      const elvIds = letters.map((l) => l.elvId)
      const elvFindings = await db.selectFrom('finding').select(['id', 'elv_id', 'kind'])
        .where('elv_id', 'in', elvIds.length ? elvIds : none).orderBy('id').execute()
      const elvFindingThemes = await db.selectFrom('finding_theme').select(['finding_id', 'theme_id'])
        .where('finding_id', 'in', elvFindings.length ? elvFindings.map((f) => f.id) : none).orderBy('theme_id').execute()
      const elvThemesBy = group(elvFindingThemes, (r) => r.finding_id)
      const elvFindingsBy = group(elvFindings, (r) => r.elv_id)

      const authorities = await db.selectFrom('local_authority').select(['gss_code', 'name_en', 'name_cy']).execute()
      const themes = await db.selectFrom('theme').select(['id', 'key', 'label_en', 'label_cy']).execute()
      const areas = await db.selectFrom('framework_area').select(['framework_key', 'code', 'name_en', 'name_cy', 'position']).execute()
      const edits = await db.selectFrom('insights_edit').leftJoin('app_user', 'app_user.id', 'insights_edit.edited_by')
        .select(['point_key', 'text', 'generated', 'edited_at', 'app_user.name as by'])
        .where('academic_year', '=', yearLabel).where('lang', '=', lang).execute()
      const publication = await db.selectFrom('insights_publication').leftJoin('app_user', 'app_user.id', 'insights_publication.published_by')
        .select(['published_at', 'app_user.name as by']).where('academic_year', '=', yearLabel).executeTakeFirst()

      return {
        inspections: inspections.map((i) => ({
          id: i.id, gssCode: i.authority_code, academicYear: i.academic_year, frameworkKey: i.framework_key, medium: i.medium, reportUrl: i.report_url,
          recommendations: (recsBy.get(i.id) ?? []).map((r) => ({
            id: r.id, ref: r.code, textEn: r.text_en, textCy: r.text_cy, lang: r.lang, themes: (recThemesBy.get(r.id) ?? []).map((t) => t.theme_id),
          })),
          findings: (findingsBy.get(i.id) ?? []).map((f) => ({
            id: f.id, area: f.area, areaCode: f.framework_area_code, kind: f.kind, textEn: f.text_en, textCy: f.text_cy, lang: f.lang,
            themes: (findingThemesBy.get(f.id) ?? []).map((t) => t.theme_id),
          })),
          effectivePractice: (practiceBy.get(i.id) ?? []).map((p) => ({
            id: p.id, area: p.area, areaCode: p.framework_area_code, questionEn: p.question_en, questionCy: p.question_cy, textEn: p.text_en, textCy: p.text_cy, lang: p.lang,
          })),
        })),
        letters: letters.map((l) => ({
          elvId: l.elvId, letterId: l.letterId, gssCode: l.authority_code, issuedAt: l.issued_at!,
          findings: (elvFindingsBy.get(l.elvId) ?? []).map((f) => ({ id: f.id, kind: f.kind, themes: (elvThemesBy.get(f.id) ?? []).map((t) => t.theme_id) })),
        })),
        authorities: new Map(authorities.map((a) => [a.gss_code, { en: a.name_en, cy: a.name_cy }])),
        themes: new Map(themes.map((t) => [t.id, { key: t.key, en: t.label_en, cy: t.label_cy }])),
        areas: new Map(areas.map((a) => [`${a.framework_key}|${a.code}`, { en: a.name_en, cy: a.name_cy, position: a.position }])),
        edits: new Map(edits.map((e) => [e.point_key, { text: e.text, generated: e.generated, by: e.by ?? '', at: e.edited_at }])),
        publication: publication ? { publishedAt: publication.published_at, publishedBy: publication.by ?? '' } : null,
      }
    },

    async saveEdit(row: { academicYear: string; lang: Language; key: string; text: string; generated: string; by: number | null }, now: string): Promise<void> {
      const values = { academic_year: row.academicYear, lang: row.lang, point_key: row.key, text: row.text, generated: row.generated, edited_by: row.by, edited_at: now }
      await db.insertInto('insights_edit').values(values)
        .onConflict((oc) => oc.columns(['academic_year', 'lang', 'point_key']).doUpdateSet({ text: row.text, generated: row.generated, edited_by: row.by, edited_at: now }))
        .execute()
    },

    async removeEdit(academicYear: string, lang: Language, key: string): Promise<boolean> {
      const r = await db.deleteFrom('insights_edit').where('academic_year', '=', academicYear).where('lang', '=', lang).where('point_key', '=', key).executeTakeFirst()
      return Number(r.numDeletedRows) > 0
    },

    async publish(academicYear: string, by: number | null, now: string): Promise<void> {
      await db.insertInto('insights_publication').values({ academic_year: academicYear, published_by: by, published_at: now })
        .onConflict((oc) => oc.column('academic_year').doUpdateSet({ published_by: by, published_at: now })).execute()
    },
  }
}
