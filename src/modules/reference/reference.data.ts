import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { SEASONS, type Season } from '../../db/schema.ts'

/** The reference facts the app starts with; an admin edits them afterwards. */

export interface AuthoritySeed { gssCode: string; nameEn: string; nameCy: string }

export function authoritySeeds(): AuthoritySeed[] {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data', 'local-authorities.csv')
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/)
  if (header !== 'gss_code,name_en,name_cy') throw new Error(`unexpected header in ${file}: ${header}`)
  return lines.map((line) => {
    const [gssCode, nameEn, nameCy] = line.split(',')
    if (!gssCode || !nameEn || !nameCy) throw new Error(`bad line in ${file}: ${line}`)
    return { gssCode, nameEn, nameCy }
  })
}

/** The 2024-2030 inspection cycle: six academic years. */
export const CYCLE_YEARS = ['2024-2025', '2025-2026', '2026-2027', '2027-2028', '2028-2029', '2029-2030'] as const

export interface TermSeed { key: string; academicYear: string; season: Season; startsOn: string; endsOn: string }

// Approved dates; other years follow the same pattern until an admin enters theirs.
const APPROVED: Record<string, Record<Season, [string, string]>> = {
  '2025-2026': {
    autumn: ['2025-09-01', '2025-12-19'],
    spring: ['2026-01-05', '2026-03-27'],
    summer: ['2026-04-13', '2026-07-20'],
  },
}

const iso = (d: Date) => d.toISOString().slice(0, 10)
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d))
const weekday = (d: Date) => d.getUTCDay() // 0 Sunday .. 6 Saturday
function onOrAfter(d: Date, day: number): Date {
  const r = new Date(d)
  while (weekday(r) !== day) r.setUTCDate(r.getUTCDate() + 1)
  return r
}
function onOrBefore(d: Date, day: number): Date {
  const r = new Date(d)
  while (weekday(r) !== day) r.setUTCDate(r.getUTCDate() - 1)
  return r
}
function weekdayOnOrBefore(d: Date): Date {
  const r = new Date(d)
  while (weekday(r) === 0 || weekday(r) === 6) r.setUTCDate(r.getUTCDate() - 1)
  return r
}
function weekdayOnOrAfter(d: Date): Date {
  const r = new Date(d)
  while (weekday(r) === 0 || weekday(r) === 6) r.setUTCDate(r.getUTCDate() + 1)
  return r
}

/**
 * The usual Welsh school-year pattern: autumn from the first weekday of September to the Friday
 * on or before 20 December; spring from the Monday on or after 3 January to the Friday on or
 * before 28 March; summer from the Monday on or after 12 April to 20 July (or the weekday before).
 */
export function patternTermDates(academicYear: string): Record<Season, [string, string]> {
  const first = Number(academicYear.slice(0, 4))
  const next = first + 1
  return {
    autumn: [iso(weekdayOnOrAfter(utc(first, 9, 1))), iso(onOrBefore(utc(first, 12, 20), 5))],
    spring: [iso(onOrAfter(utc(next, 1, 3), 1)), iso(onOrBefore(utc(next, 3, 28), 5))],
    summer: [iso(onOrAfter(utc(next, 4, 12), 1)), iso(weekdayOnOrBefore(utc(next, 7, 20)))],
  }
}

export function termSeeds(): TermSeed[] {
  return CYCLE_YEARS.flatMap((year) => {
    const dates = APPROVED[year] ?? patternTermDates(year)
    return SEASONS.map((season) => ({
      key: `${year}/${season}`,
      academicYear: year,
      season,
      startsOn: dates[season][0],
      endsOn: dates[season][1],
    }))
  })
}

export interface FrameworkSeed {
  key: string
  nameEn: string
  nameCy: string
  effectiveFrom: string
  effectiveTo: string | null
  areas: Array<{ code: string; parentCode: string | null; nameEn: string; nameCy: string }>
}

// Welsh names of framework areas are drafts for review by a Welsh speaker (see docs/welsh.md).
export const FRAMEWORK_SEEDS: FrameworkSeed[] = [
  {
    key: 'lges-2024',
    nameEn: 'Local government education services (from September 2024)',
    nameCy: 'Gwasanaethau addysg llywodraeth leol (o fis Medi 2024)',
    effectiveFrom: '2024-09-01',
    effectiveTo: null,
    areas: [
      { code: 'IA1', parentCode: null, nameEn: 'Education services and their impact', nameCy: 'Gwasanaethau addysg a’u heffaith' },
      { code: '1.1', parentCode: 'IA1', nameEn: 'School improvement services', nameCy: 'Gwasanaethau gwella ysgolion' },
      { code: '1.2', parentCode: 'IA1', nameEn: 'Support for vulnerable learners', nameCy: 'Cymorth i ddysgwyr agored i niwed' },
      { code: '1.3', parentCode: 'IA1', nameEn: 'Other support services', nameCy: 'Gwasanaethau cymorth eraill' },
      { code: 'IA2', parentCode: null, nameEn: 'Leading and improving', nameCy: 'Arwain a gwella' },
      { code: '2.1', parentCode: 'IA2', nameEn: 'Quality and effectiveness of leaders and managers', nameCy: 'Ansawdd ac effeithiolrwydd arweinwyr a rheolwyr' },
      { code: '2.2', parentCode: 'IA2', nameEn: 'Self-evaluation and improvement planning', nameCy: 'Hunanwerthuso a chynllunio gwelliant' },
      { code: '2.3', parentCode: 'IA2', nameEn: 'Safeguarding arrangements', nameCy: 'Trefniadau diogelu' },
      { code: '2.4', parentCode: 'IA2', nameEn: 'Use of resources', nameCy: 'Defnyddio adnoddau' },
    ],
  },
  {
    key: 'lges-2022',
    nameEn: 'Local government education services (2022 to 2024)',
    nameCy: 'Gwasanaethau addysg llywodraeth leol (2022 i 2024)',
    effectiveFrom: '2022-09-01',
    effectiveTo: '2024-08-31',
    areas: [
      { code: '1', parentCode: null, nameEn: 'Outcomes and education services', nameCy: 'Deilliannau a gwasanaethau addysg' },
      { code: '2', parentCode: null, nameEn: 'Leadership', nameCy: 'Arweinyddiaeth' },
      { code: '3', parentCode: null, nameEn: 'Care, support and well-being', nameCy: 'Gofal, cymorth a lles' },
    ],
  },
  {
    key: 'lges-2018',
    nameEn: 'Local government education services (2018 to 2022)',
    nameCy: 'Gwasanaethau addysg llywodraeth leol (2018 i 2022)',
    effectiveFrom: '2018-09-01',
    effectiveTo: '2022-08-31',
    areas: [
      { code: '1', parentCode: null, nameEn: 'Outcomes', nameCy: 'Deilliannau' },
      { code: '2', parentCode: null, nameEn: 'Quality of education services', nameCy: 'Ansawdd gwasanaethau addysg' },
      { code: '3', parentCode: null, nameEn: 'Leadership and management', nameCy: 'Arweinyddiaeth a rheolaeth' },
    ],
  },
]

export { SEASONS }
