import type {
  ElvStrandTheme, InsightsArea, InsightsEffectivePractice, InsightsLang, InsightsPoint, InsightsRecommendation, InsightsSource,
  InsightsSummary, PointEdit, RecordText,
} from './insights.types.ts'
import { findingSentence, inspectedSentence, recommendationSentence, type FindingKind } from './wording.ts'

/**
 * A realistic Early Insights summary for the renderers' tests and the benchmark, without a
 * database: four authorities inspected in 2023-2024, modelled on the published summary
 * (../shared/source-documents/003_05ec7b736198f718.txt). The same records give the English and the
 * Welsh summary: Ceredigion's were recorded in Welsh (some with an English translation), the
 * others in English (Conwy's in both), so each summary shows some records in the other language.
 * One point carries a reviewer's edit; three issued ELV letters make the separate ELV strand.
 */

type Words = Record<InsightsLang, string>

/** A record's own words, as recorded: in one language or both. */
interface Recorded { id: string; gss: string; en?: string; cy?: string }

const YEAR = '2023-2024'

export const FIXTURE_AUTHORITIES: ReadonlyArray<{ gss: string; name: Words; medium: 'welsh' | 'english' | 'bilingual'; reportUrl: string }> = [
  { gss: 'W06000003', name: { en: 'Conwy County Borough Council', cy: 'Cyngor Bwrdeistref Sirol Conwy' }, medium: 'bilingual', reportUrl: 'https://reports.example.cymru/lges/conwy-2024' },
  { gss: 'W06000008', name: { en: 'Ceredigion County Council', cy: 'Cyngor Sir Ceredigion' }, medium: 'welsh', reportUrl: 'https://reports.example.cymru/lges/ceredigion-2024' },
  { gss: 'W06000013', name: { en: 'Bridgend County Borough Council', cy: 'Cyngor Bwrdeistref Sirol Pen-y-bont ar Ogwr' }, medium: 'english', reportUrl: 'https://reports.example.cymru/lges/bridgend-2024' },
  { gss: 'W06000018', name: { en: 'Caerphilly County Borough Council', cy: 'Cyngor Bwrdeistref Sirol Caerffili' }, medium: 'english', reportUrl: 'https://reports.example.cymru/lges/caerphilly-2024' },
]
const [CONWY, CEREDIGION, BRIDGEND, CAERPHILLY] = FIXTURE_AUTHORITIES.map((a) => a.gss) as [string, string, string, string]
const ORDER = FIXTURE_AUTHORITIES.map((a) => a.gss)
const nameOf = (gss: string, lang: InsightsLang) => FIXTURE_AUTHORITIES.find((a) => a.gss === gss)!.name[lang]

/** Theme labels as they read inside a sentence ("... focused on improving attendance."). */
const THEMES: Record<string, Words> = {
  'professional-relationships': { en: 'professional relationships with schools', cy: 'perthnasoedd proffesiynol ag ysgolion' },
  'additional-learning-needs': { en: 'improving additional learning needs services', cy: 'gwella gwasanaethau anghenion dysgu ychwanegol' },
  'welsh-medium-education': { en: 'language immersion for latecomers to Welsh-medium education', cy: 'trochi iaith i hwyrddyfodiaid i addysg cyfrwng Cymraeg' },
  'school-improvement': { en: 'evaluating the quality of learning and teaching', cy: 'gwerthuso ansawdd dysgu ac addysgu' },
  exclusions: { en: 'reducing exclusions', cy: 'lleihau gwaharddiadau' },
  attendance: { en: 'improving attendance', cy: 'gwella presenoldeb' },
  'vision-and-purpose': { en: 'vision and moral purpose', cy: 'gweledigaeth a phwrpas moesol' },
  'elected-member-scrutiny': { en: 'scrutiny by elected members', cy: 'craffu gan aelodau etholedig' },
  'working-together': { en: 'working together across services', cy: 'cydweithio ar draws gwasanaethau' },
  'self-evaluation': { en: 'strengthening evaluation and improvement processes', cy: 'cryfhau prosesau gwerthuso a gwella' },
  safeguarding: { en: 'safeguarding arrangements', cy: 'trefniadau diogelu' },
  'use-of-information': { en: 'improving the quality and use of information about learning and teaching', cy: 'gwella ansawdd a defnydd gwybodaeth am ddysgu ac addysgu' },
}

const KIND_LABELS: Record<FindingKind, Words> = {
  going_well: { en: 'What’s going well', cy: 'Beth sy’n mynd yn dda' },
  needs_to_improve: { en: 'What needs to improve', cy: 'Beth sydd angen ei wella' },
}

interface PointSpec { theme: string; kind: FindingKind; findings: Recorded[]; edit?: { text: Words; by: string; at: string } }
interface AreaSpec { name: Words; summary: Words; points: PointSpec[] }

/** The reviewer's edit in the fixture: the point on professional relationships, in the published summary's words. */
export const EDITED_POINT = {
  key: 'Outcomes and education services|going_well|professional-relationships',
  text: {
    en: 'Local authority officers and school improvement partners have strong professional relationships with leaders in schools. In the authorities inspected, they often work beneficially with schools to support quality assurance processes.',
    cy: 'Mae gan swyddogion awdurdodau lleol a phartneriaid gwella ysgolion berthnasoedd proffesiynol cryf ag arweinwyr mewn ysgolion. Yn yr awdurdodau a arolygwyd, maent yn aml yn gweithio’n fuddiol gydag ysgolion i gefnogi prosesau sicrhau ansawdd.',
  },
} as const

const AREAS: AreaSpec[] = [
  {
    name: { en: 'Outcomes and education services', cy: 'Deilliannau a gwasanaethau addysg' },
    summary: {
      en: 'Where local authorities support schools effectively, they use a wide range of information to identify schools that require support and effectively quality assure the work of school improvement officers and partners.',
      cy: 'Lle mae awdurdodau lleol yn cefnogi ysgolion yn effeithiol, maent yn defnyddio ystod eang o wybodaeth i nodi ysgolion sydd angen cymorth ac yn sicrhau ansawdd gwaith swyddogion a phartneriaid gwella ysgolion yn effeithiol.',
    },
    points: [
      {
        theme: 'professional-relationships', kind: 'going_well',
        edit: { text: EDITED_POINT.text, by: 'Siân Prŷs', at: '2024-10-21T10:15:00Z' },
        findings: [
          { id: '1101', gss: CONWY, en: 'Officers have strong professional relationships with school leaders and work beneficially with schools to support their quality assurance processes.', cy: 'Mae gan swyddogion berthnasoedd proffesiynol cryf ag arweinwyr ysgolion ac maent yn gweithio’n fuddiol gydag ysgolion i gefnogi eu prosesau sicrhau ansawdd.' },
          { id: '1201', gss: CEREDIGION, cy: 'Mae gan swyddogion a phartneriaid gwella ysgolion berthnasoedd proffesiynol cryf ag arweinwyr ysgolion, wedi’u seilio ar ymweliadau rheolaidd a sgyrsiau agored.' },
          { id: '1301', gss: BRIDGEND, en: 'Officers and school improvement partners know their schools well and have constructive professional relationships with headteachers.' },
          { id: '1401', gss: CAERPHILLY, en: 'Officers forge strong relationships with schools, settings and pupil referral units, where leaders feel well supported yet challenged.' },
        ],
      },
      {
        theme: 'additional-learning-needs', kind: 'going_well',
        findings: [
          { id: '1102', gss: CONWY, en: 'The authority is making good progress in improving its additional learning needs services and provides a wide range of support for children and young people, their families, schools and settings.', cy: 'Mae’r awdurdod yn gwneud cynnydd da wrth wella ei wasanaethau anghenion dysgu ychwanegol ac yn darparu ystod eang o gymorth i blant a phobl ifanc, eu teuluoedd, ysgolion a lleoliadau.' },
          { id: '1202', gss: CEREDIGION, cy: 'Mae’r awdurdod yn gwneud cynnydd da wrth wella ei wasanaethau anghenion dysgu ychwanegol, gan gynnig ystod eang o gymorth i ddysgwyr, eu teuluoedd a’u hysgolion.', en: 'The authority is making good progress in improving its additional learning needs services, offering a wide range of support to learners, their families and their schools.' },
          { id: '1302', gss: BRIDGEND, en: 'The authority has prepared schools well for the additional learning needs reforms and provides helpful training for additional learning needs co-ordinators.' },
          { id: '1402', gss: CAERPHILLY, en: 'The authority has made good progress in implementing the additional learning needs reforms and offers a wide range of services to pupils, families and schools.' },
        ],
      },
      {
        theme: 'welsh-medium-education', kind: 'going_well',
        findings: [
          { id: '1103', gss: CONWY, en: 'The authority is developing well the work of its language immersion centres to support latecomers to Welsh-medium education.', cy: 'Mae’r awdurdod yn datblygu’n dda waith ei ganolfannau trochi iaith i gefnogi hwyrddyfodiaid i addysg cyfrwng Cymraeg.' },
          { id: '1203', gss: CEREDIGION, cy: 'Mae’r canolfannau trochi iaith yn datblygu’n dda ac yn cefnogi hwyrddyfodiaid i addysg cyfrwng Cymraeg yn effeithiol.' },
          { id: '1403', gss: CAERPHILLY, en: 'The language immersion centre is developing well and helps latecomers to Welsh-medium education to settle quickly in their new schools.' },
        ],
      },
      {
        theme: 'school-improvement', kind: 'needs_to_improve',
        findings: [
          { id: '1104', gss: CONWY, en: 'When gathering first-hand evidence on learning and teaching, school improvement officers do not always focus well enough on the progress pupils make.', cy: 'Wrth gasglu tystiolaeth uniongyrchol am ddysgu ac addysgu, nid yw swyddogion gwella ysgolion bob amser yn canolbwyntio’n ddigon da ar y cynnydd y mae disgyblion yn ei wneud.' },
          { id: '1304', gss: BRIDGEND, en: 'School improvement partners do not always evaluate the quality of teaching by its impact on pupils’ progress.' },
        ],
      },
      {
        theme: 'exclusions', kind: 'needs_to_improve',
        findings: [
          { id: '1405', gss: CAERPHILLY, en: 'Work to reduce exclusions has been less effective, and rates of fixed-term and permanent exclusions are too high.' },
        ],
      },
      {
        theme: 'attendance', kind: 'needs_to_improve',
        findings: [
          { id: '1106', gss: CONWY, en: 'Although attendance has improved, rates of attendance in secondary schools remain lower than before the pandemic.', cy: 'Er bod presenoldeb wedi gwella, mae cyfraddau presenoldeb mewn ysgolion uwchradd yn parhau’n is nag yr oeddent cyn y pandemig.' },
          { id: '1206', gss: CEREDIGION, cy: 'Er bod presenoldeb wedi gwella yn ystod y flwyddyn, mae cyfraddau presenoldeb mewn ysgolion uwchradd yn parhau’n is nag yr oeddent cyn y pandemig.' },
          { id: '1306', gss: BRIDGEND, en: 'Interventions to improve attendance have not yet had enough impact, particularly in secondary schools.' },
        ],
      },
    ],
  },
  {
    name: { en: 'Leadership', cy: 'Arweinyddiaeth' },
    summary: {
      en: 'Leaders share a strong sense of moral purpose and ensure staff work collaboratively to achieve their priorities.',
      cy: 'Mae arweinwyr yn rhannu ymdeimlad cryf o bwrpas moesol ac yn sicrhau bod staff yn cydweithio i gyflawni eu blaenoriaethau.',
    },
    points: [
      {
        theme: 'vision-and-purpose', kind: 'going_well',
        findings: [
          { id: '2101', gss: CONWY, en: 'The director and senior officers provide strong leadership with a clear vision for education and a strong sense of moral purpose.', cy: 'Mae’r cyfarwyddwr ac uwch swyddogion yn darparu arweinyddiaeth gref gyda gweledigaeth glir ar gyfer addysg ac ymdeimlad cryf o bwrpas moesol.' },
          { id: '2201', gss: CEREDIGION, cy: 'Mae gan arweinwyr weledigaeth glir ar gyfer addysg ac ymdeimlad cryf o bwrpas moesol, sy’n cynnwys ymrwymiad i’r Gymraeg.' },
          { id: '2301', gss: BRIDGEND, en: 'Leaders share a clear vision for education, with a strong focus on improving outcomes for vulnerable learners.' },
          { id: '2401', gss: CAERPHILLY, en: 'The Chief Education Officer provides strategic, empathetic yet firm leadership and sets high expectations for all.' },
        ],
      },
      {
        theme: 'elected-member-scrutiny', kind: 'going_well',
        findings: [
          { id: '2102', gss: CONWY, en: 'Elected members scrutinise the work of education services suitably and challenge officers constructively.', cy: 'Mae aelodau etholedig yn craffu’n addas ar waith y gwasanaethau addysg ac yn herio swyddogion yn adeiladol.' },
          { id: '2202', gss: CEREDIGION, cy: 'Yn gyffredinol, mae aelodau etholedig yn craffu’n addas ar waith y gwasanaethau addysg.' },
          { id: '2402', gss: CAERPHILLY, en: 'Elected members scrutinise the work of education services suitably and ask searching questions about attendance.' },
        ],
      },
      {
        theme: 'working-together', kind: 'going_well',
        findings: [
          { id: '2303', gss: BRIDGEND, en: 'Staff across the education, social care and housing services collaborate effectively to support families.' },
          { id: '2403', gss: CAERPHILLY, en: 'Staff within education services collaborate effectively to achieve the authority’s priorities.' },
        ],
      },
      {
        theme: 'self-evaluation', kind: 'needs_to_improve',
        findings: [
          { id: '2104', gss: CONWY, en: 'The additional learning needs service does not have a systematic approach to quality assuring its work.', cy: 'Nid oes gan y gwasanaeth anghenion dysgu ychwanegol ddull systematig o sicrhau ansawdd ei waith.' },
          { id: '2204', gss: CEREDIGION, cy: 'Nid yw agweddau ar werthuso a chynllunio gwelliant yn ddigon miniog i nodi’n fanwl y meysydd sydd angen eu gwella.' },
        ],
      },
    ],
  },
  {
    name: { en: 'Care, support and well-being', cy: 'Gofal, cymorth a lles' },
    summary: {
      en: 'Safeguarding arrangements are robust across the local authorities inspected.',
      cy: 'Mae trefniadau diogelu’n gadarn ar draws yr awdurdodau lleol a arolygwyd.',
    },
    points: [
      {
        theme: 'safeguarding', kind: 'going_well',
        findings: [
          { id: '3101', gss: CONWY, en: 'Safeguarding arrangements are robust, and the authority monitors carefully the safety of pupils educated other than at school.', cy: 'Mae trefniadau diogelu’n gadarn, ac mae’r awdurdod yn monitro’n ofalus ddiogelwch disgyblion sy’n cael eu haddysgu heblaw yn yr ysgol.' },
          { id: '3201', gss: CEREDIGION, cy: 'Mae trefniadau diogelu’n gadarn ac yn cael eu deall yn dda gan ysgolion a swyddogion.' },
          { id: '3301', gss: BRIDGEND, en: 'There is a strong culture of safeguarding across the authority’s education services.' },
          { id: '3401', gss: CAERPHILLY, en: 'Safeguarding arrangements are robust, and officers respond promptly to concerns raised by schools.' },
        ],
      },
    ],
  },
]

const RECOMMENDATIONS: Array<{ theme: string; recommendations: Recorded[] }> = [
  {
    theme: 'attendance',
    recommendations: [
      { id: 'r306', gss: BRIDGEND, en: 'R1 Improve attendance, particularly in secondary schools.' },
      { id: 'r406', gss: CAERPHILLY, en: 'R2 Improve attendance, particularly among pupils eligible for free school meals.' },
    ],
  },
  {
    theme: 'self-evaluation',
    recommendations: [
      { id: 'r101', gss: CONWY, en: 'R1 Strengthen self-evaluation processes to evaluate the impact of the authority’s work on learners’ outcomes.', cy: 'A1 Cryfhau prosesau hunanwerthuso i werthuso effaith gwaith yr awdurdod ar ddeilliannau dysgwyr.' },
      { id: 'r201', gss: CEREDIGION, cy: 'A1 Cryfhau prosesau hunanwerthuso er mwyn gwerthuso effaith gwaith yr awdurdod ar ganlyniadau dysgwyr.', en: 'R1 Strengthen self-evaluation processes to evaluate the impact of the authority’s work on learners’ outcomes.' },
      { id: 'r301', gss: BRIDGEND, en: 'R2 Strengthen self-evaluation and improvement planning so that they focus on the impact of services on learners’ outcomes.' },
      { id: 'r401', gss: CAERPHILLY, en: 'R1 Strengthen the evaluation of the impact of the authority’s work on learners’ outcomes.' },
    ],
  },
  {
    theme: 'exclusions',
    recommendations: [
      { id: 'r402', gss: CAERPHILLY, en: 'R3 Improve the processes and strategies to support and challenge schools to reduce the rates of fixed-term and permanent exclusions.' },
    ],
  },
  {
    theme: 'use-of-information',
    recommendations: [
      { id: 'r202', gss: CEREDIGION, cy: 'A2 Gwella ansawdd a defnydd gwybodaeth am addysgu a dysgu er mwyn cyfeirio adnoddau at y meysydd sydd angen eu gwella fwyaf.' },
    ],
  },
]

const PRACTICE: Array<{ id: string; gss: string; area: Words; question: Partial<Words>; text: Partial<Words> }> = [
  {
    id: 'p201', gss: CEREDIGION, area: { en: 'Outcomes and education services', cy: 'Deilliannau a gwasanaethau addysg' },
    question: { en: 'How well does the local authority support its schools and settings to improve teaching and leadership?', cy: 'Pa mor dda mae’r awdurdod lleol yn cefnogi ei ysgolion a’i leoliadau i wella addysgu ac arweinyddiaeth?' },
    text: {
      en: 'The authority’s data team provides comprehensive data about pupils’ performance in external examinations, including how they have performed when answering individual questions. This item-level data informs analytical discussions in post-14 subject network meetings, so that subject leaders identify strong practice and aspects of teaching that need to improve.',
      cy: 'Mae tîm data’r awdurdod yn darparu data cynhwysfawr am berfformiad disgyblion mewn arholiadau allanol, gan gynnwys sut maent wedi perfformio wrth ateb cwestiynau unigol. Mae’r data hwn yn llywio trafodaethau dadansoddol mewn cyfarfodydd rhwydwaith pynciau ôl-14, fel bod arweinwyr pynciau’n nodi arfer cryf ac agweddau ar addysgu y mae angen eu gwella.',
    },
  },
  {
    id: 'p202', gss: CEREDIGION, area: { en: 'Outcomes and education services', cy: 'Deilliannau a gwasanaethau addysg' },
    question: { cy: 'Pa mor effeithiol yw trefniadau’r awdurdod lleol ar gyfer datblygu’r Gymraeg?' },
    text: { cy: 'Defnyddir arbenigedd aelodau’r Tîm Cefnogi’r Gymraeg a’r adran ddiwylliant yn effeithiol iawn i gefnogi ysgolion sy’n newid eu cyfrwng iaith. Maent yn darparu dysgu proffesiynol buddiol iawn i staff drwy eu gwefan, ‘Câr-di-Iaith’, ac yn gweithio’n bwrpasol gyda phartneriaid lleol fel Dysgu Cymraeg Ceredigion a Menter Iaith Ceredigion (Cered).' },
  },
  {
    id: 'p401', gss: CAERPHILLY, area: { en: 'Outcomes and education services', cy: 'Deilliannau a gwasanaethau addysg' },
    question: { en: 'How effectively does the local authority plan for school reorganisation and federation arrangements?' },
    text: { en: 'When vacancies arise for school leaders, officers encourage governing bodies to consider collaborative arrangements led by an executive headteacher. Currently, a third of primary schools across Caerphilly work together under an executive headteacher, either as a federation or as a collaboration, which brings stability to schools and supports their sustainability.' },
  },
  {
    id: 'p101', gss: CONWY, area: { en: 'Care, support and well-being', cy: 'Gofal, cymorth a lles' },
    question: { en: 'How well does the local authority support vulnerable learners?', cy: 'Pa mor dda mae’r awdurdod lleol yn cefnogi dysgwyr agored i niwed?' },
    text: {
      en: 'A joint team of education, social care and housing officers meets weekly to discuss families whose children are at risk of missing education. Each family has one named lead officer, so that parents tell their story once, and the number of pupils missing education for long periods has fallen.',
      cy: 'Mae tîm ar y cyd o swyddogion addysg, gofal cymdeithasol a thai yn cyfarfod bob wythnos i drafod teuluoedd y mae eu plant mewn perygl o golli addysg. Mae gan bob teulu un swyddog arweiniol a enwir, fel bod rhieni’n adrodd eu hanes unwaith, ac mae nifer y disgyblion sy’n colli addysg am gyfnodau hir wedi gostwng.',
    },
  },
]

const ELV_THEMES: Array<{ theme: string; workingWell: number; improvement: number; authorities: string[]; sentence: Words; sources: InsightsSource[] }> = [
  {
    theme: 'attendance', workingWell: 2, improvement: 1, authorities: [CONWY, BRIDGEND],
    sentence: {
      en: 'Two of the three issued ELV letters considered attendance: both identified aspects working well, and one set out a consideration for improvement.',
      cy: 'Ystyriodd dau o’r tri llythyr ELV a gyhoeddwyd bresenoldeb: nododd y ddau agweddau sy’n gweithio’n dda, a nododd un ystyriaeth ar gyfer gwella.',
    },
    sources: [{ type: 'letter', id: '31' }, { type: 'elvFinding', id: '311' }, { type: 'letter', id: '33' }, { type: 'elvFinding', id: '331' }, { type: 'elvFinding', id: '332' }],
  },
  {
    theme: 'additional-learning-needs', workingWell: 2, improvement: 2, authorities: [CAERPHILLY],
    sentence: {
      en: 'One issued ELV letter considered additional learning needs, with two aspects working well and two considerations for improvement.',
      cy: 'Ystyriodd un llythyr ELV a gyhoeddwyd anghenion dysgu ychwanegol, gyda dwy agwedd yn gweithio’n dda a dwy ystyriaeth ar gyfer gwella.',
    },
    sources: [{ type: 'letter', id: '32' }, { type: 'elvFinding', id: '321' }, { type: 'elvFinding', id: '322' }, { type: 'elvFinding', id: '323' }, { type: 'elvFinding', id: '324' }],
  },
]

/** The record's words for a reader of `lang`: theirs when recorded in it, else as recorded. */
function recordText(r: Recorded, lang: InsightsLang, type: 'finding' | 'recommendation'): RecordText {
  const other: InsightsLang = lang === 'en' ? 'cy' : 'en'
  const inLang = r[lang] !== undefined
  const shown: InsightsLang = inLang ? lang : other
  const otherWords = shown === 'en' ? r.cy : r.en
  return {
    source: { type, id: r.id }, gssCode: r.gss, authority: nameOf(r.gss, lang), text: r[shown]!, lang: shown,
    translation: otherWords === undefined ? null : { text: otherWords, lang: shown === 'en' ? 'cy' : 'en' },
  }
}

const authoritiesOf = (records: readonly Recorded[]) => ORDER.filter((gss) => records.some((r) => r.gss === gss))

function point(area: AreaSpec, spec: PointSpec, of: number, lang: InsightsLang): InsightsPoint {
  const authorities = authoritiesOf(spec.findings)
  const label = THEMES[spec.theme]![lang]
  const edited: PointEdit | null = spec.edit ? { text: spec.edit.text[lang], by: spec.edit.by, at: spec.edit.at } : null
  return {
    key: `${area.name.en}|${spec.kind}|${spec.theme}`,
    theme: spec.theme,
    label,
    count: authorities.length,
    of,
    authorities,
    sentence: findingSentence(authorities.length, of, spec.kind, label, lang),
    edited,
    sources: spec.findings.map((f) => ({ type: 'finding', id: f.id })),
    details: spec.findings.map((f) => recordText(f, lang, 'finding')),
  }
}

/** The 2023-2024 summary of four authorities, in English or in Welsh; a fresh copy each call. */
export function insightsFixture(lang: InsightsLang = 'en'): InsightsSummary {
  const of = FIXTURE_AUTHORITIES.length
  const areas: InsightsArea[] = AREAS.map((a) => ({
    area: a.name[lang],
    summary: a.summary[lang],
    goingWell: a.points.filter((p) => p.kind === 'going_well').map((p) => point(a, p, of, lang)),
    needsToImprove: a.points.filter((p) => p.kind === 'needs_to_improve').map((p) => point(a, p, of, lang)),
  }))
  const recommendations: InsightsRecommendation[] = RECOMMENDATIONS.map((r) => {
    const authorities = authoritiesOf(r.recommendations)
    const label = THEMES[r.theme]![lang]
    return {
      key: `recommendation|${r.theme}`, theme: r.theme, label, count: authorities.length, of, authorities,
      sentence: recommendationSentence(authorities.length, of, label, lang),
      edited: null,
      sources: r.recommendations.map((x) => ({ type: 'recommendation' as const, id: x.id })),
      details: r.recommendations.map((x) => recordText(x, lang, 'recommendation')),
    }
  }).sort((a, b) => b.count - a.count)
  const effectivePractice: InsightsEffectivePractice[] = PRACTICE.map((p) => {
    const other: InsightsLang = lang === 'en' ? 'cy' : 'en'
    const inLang = p.text[lang] !== undefined
    const textLang = inLang ? lang : other
    const authority = FIXTURE_AUTHORITIES.find((a) => a.gss === p.gss)!
    return {
      id: p.id, gssCode: p.gss, authority: authority.name[lang], area: p.area[lang],
      question: p.question[textLang] ?? p.question[textLang === 'en' ? 'cy' : 'en']!, text: p.text[textLang]!, lang: textLang,
      reportUrl: authority.reportUrl,
    }
  })
  const themes: ElvStrandTheme[] = ELV_THEMES.map((e) => ({
    theme: e.theme, label: THEMES[e.theme]![lang], workingWell: e.workingWell, improvement: e.improvement,
    authorities: e.authorities, sentence: e.sentence[lang], sources: e.sources,
  }))
  const findingsByArea = AREAS.flatMap((a, i) => (['going_well', 'needs_to_improve'] as const).map((kind) => ({
    area: areas[i]!.area, kind, kindLabel: KIND_LABELS[kind][lang],
    count: new Set(a.points.filter((p) => p.kind === kind).flatMap((p) => p.findings.map((f) => f.id))).size,
  })))
  const byMedium = { welsh: 0, english: 0, bilingual: 0, notRecorded: 0 }
  for (const a of FIXTURE_AUTHORITIES) byMedium[a.medium]++
  return {
    academicYear: YEAR,
    lang,
    title: lang === 'en' ? `Early Insights ${YEAR}: local government education services` : `Mewnwelediadau Cynnar ${YEAR}: gwasanaethau addysg llywodraeth leol`,
    authoritiesInspected: of,
    message: null,
    intro: inspectedSentence(of, YEAR, lang),
    areas,
    recommendations,
    effectivePractice,
    figures: { coreInspections: of, byMedium, caseStudies: effectivePractice.length, elvsIssued: 3 },
    elvStrand: { letters: 3, themes },
    charts: {
      recommendationsByTheme: recommendations.map((r) => ({ label: r.label, count: r.count })),
      findingsByArea,
    },
    publication: { publishedAt: '2024-11-14T09:00:00Z', publishedBy: 'Siân Prŷs' },
    generatedAt: '2024-11-12T16:30:00Z',
  }
}

/** A year with no core inspections: nothing to summarise, and a message saying so. */
export function emptyInsightsFixture(lang: InsightsLang = 'en', academicYear = '2025-2026'): InsightsSummary {
  return {
    academicYear,
    lang,
    title: lang === 'en' ? `Early Insights ${academicYear}: local government education services` : `Mewnwelediadau Cynnar ${academicYear}: gwasanaethau addysg llywodraeth leol`,
    authoritiesInspected: 0,
    message: lang === 'en'
      ? `No core inspections are recorded for ${academicYear}, so there is nothing to summarise yet.`
      : `Ni chofnodwyd unrhyw arolygiadau craidd ar gyfer ${academicYear}, felly nid oes dim i’w grynhoi eto.`,
    intro: inspectedSentence(0, academicYear, lang),
    areas: [],
    recommendations: [],
    effectivePractice: [],
    figures: { coreInspections: 0, byMedium: { welsh: 0, english: 0, bilingual: 0, notRecorded: 0 }, caseStudies: 0, elvsIssued: 0 },
    elvStrand: { letters: 0, themes: [] },
    charts: { recommendationsByTheme: [], findingsByArea: [] },
    publication: null,
    generatedAt: '2025-10-01T08:00:00Z',
  }
}

/** Markup typed where a reader could see it: every renderer must show it as text. */
export const HOSTILE = '<script>alert("x")</script> & <b>bold</b>'

/** The fixture with hostile text in every place a person or an import could have typed it. */
export function hostileInsightsFixture(lang: InsightsLang = 'en'): InsightsSummary {
  const s = insightsFixture(lang)
  s.title = `${s.title} ${HOSTILE}`
  s.intro = `${s.intro} ${HOSTILE}`
  const area = s.areas[0]!
  area.area = `${HOSTILE} area`
  area.summary = `${HOSTILE} summary`
  const p = area.goingWell[0]!
  p.edited = { text: `${HOSTILE} edited`, by: HOSTILE, at: p.edited?.at ?? '2024-10-21T10:15:00Z' }
  p.details[0] = { ...p.details[0]!, authority: `${HOSTILE} council`, text: `${HOSTILE} finding` }
  area.goingWell[1]!.sentence = `${HOSTILE} sentence`
  s.recommendations[0]!.label = `${HOSTILE} theme`
  s.recommendations[0]!.sentence = `${HOSTILE} recommendation`
  s.effectivePractice[0] = { ...s.effectivePractice[0]!, question: `${HOSTILE} question`, text: `${HOSTILE} practice`, reportUrl: 'javascript:alert(1)' }
  s.elvStrand.themes[0]!.sentence = `${HOSTILE} elv`
  s.charts.recommendationsByTheme[0] = { label: `${HOSTILE} theme`, count: s.charts.recommendationsByTheme[0]!.count }
  s.charts.findingsByArea = s.charts.findingsByArea.map((d, i) => (i < 2 ? { ...d, area: `${HOSTILE} area` } : d))
  return s
}
