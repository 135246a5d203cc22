import type { Bilingual, LetterModel, LetterParagraphModel, LetterSectionModel } from '../letter.model.ts'
import { DEFAULT_LETTERHEAD } from '../letterhead.ts'

/**
 * A realistic letter for the renderers' tests and the benchmark, without a database: two focus
 * areas, twelve findings (three working well and three to improve in each), Welsh with ŵ, ŷ and â.
 */

let nextId = 1
const paragraph = (en: string, cy: string, opts: Partial<Pick<LetterParagraphModel, 'style' | 'findingIds' | 'fixed'>> = {}): LetterParagraphModel =>
  ({ id: nextId++, style: opts.style ?? 'text', text: { en, cy }, findingIds: opts.findingIds ?? [], fixed: opts.fixed ?? false })

const section = (key: string, position: number, heading: Bilingual, paragraphs: LetterParagraphModel[], focusAreaId: number | null = null): LetterSectionModel =>
  ({ id: nextId++, key, position, focusAreaId, heading, edited: false, translation: { original: null, current: true }, paragraphs })

interface Finding { en: string; cy: string }

const FOCUS_AREAS: Array<{ id: number; heading: Bilingual; intro: Bilingual; workingWell: Finding[]; improvement: Finding[] }> = [
  {
    id: 11,
    heading: { en: 'Attendance and exclusions', cy: 'Presenoldeb a gwaharddiadau' },
    intro: {
      en: 'Officers shared attendance data for every school, and we met headteachers, the education welfare service and elected members to discuss it.',
      cy: 'Rhannodd swyddogion ddata presenoldeb pob ysgol, a gwnaethom gyfarfod â phenaethiaid, y gwasanaeth lles addysg ac aelodau etholedig i’w drafod.',
    },
    workingWell: [
      { en: 'The authority knows its schools well and uses weekly attendance data to target support where it is needed most.', cy: 'Mae’r awdurdod yn adnabod ei ysgolion yn dda ac yn defnyddio data presenoldeb wythnosol i dargedu cymorth lle mae ei angen fwyaf.' },
      { en: 'Family engagement officers work closely with schools and families, including visits to pupils’ homes, to remove barriers to attendance.', cy: 'Mae swyddogion ymgysylltu â theuluoedd yn gweithio’n agos gydag ysgolion a theuluoedd, gan gynnwys ymweld â chartrefi disgyblion (ymweliadau tŷ), i chwalu rhwystrau i bresenoldeb.' },
      { en: 'Leaders have reduced the number of fixed-term exclusions in secondary schools over the last two years.', cy: 'Mae arweinwyr wedi lleihau nifer y gwaharddiadau cyfnod penodol mewn ysgolion uwchradd dros y ddwy flynedd ddiwethaf.' },
    ],
    improvement: [
      { en: 'Persistent absence among pupils eligible for free school meals remains too high in a few secondary schools.', cy: 'Mae absenoldeb parhaus ymhlith disgyblion sy’n gymwys i gael prydau ysgol am ddim yn parhau’n rhy uchel mewn ychydig o ysgolion uwchradd.' },
      { en: 'The authority does not yet evaluate well enough the impact of its attendance strategy on different groups of pupils.', cy: 'Nid yw’r awdurdod eto’n gwerthuso’n ddigon da effaith ei strategaeth bresenoldeb ar wahanol grwpiau o ddisgyblion.' },
      { en: 'Information about pupils on part-time timetables is held separately by each service and is not brought together.', cy: 'Caiff gwybodaeth am ddisgyblion ar amserlenni rhan-amser ei chadw ar wahân gan bob gwasanaeth ac nid yw’n cael ei dwyn ynghyd.' },
    ],
  },
  {
    id: 12,
    heading: { en: 'Additional learning needs', cy: 'Anghenion dysgu ychwanegol' },
    intro: {
      en: 'We looked at how the authority is putting the additional learning needs system in place, with its schools and partners.',
      cy: 'Gwnaethom edrych ar sut mae’r awdurdod yn rhoi’r system anghenion dysgu ychwanegol ar waith, gyda’i ysgolion a’i bartneriaid.',
    },
    workingWell: [
      { en: 'Additional learning needs co-ordinators value the regular training and the network meetings led by the authority.', cy: 'Mae cydlynwyr anghenion dysgu ychwanegol yn gwerthfawrogi’r hyfforddiant rheolaidd a’r cyfarfodydd rhwydwaith a arweinir gan yr awdurdod.' },
      { en: 'Specialist teachers provide helpful advice to schools, and Welsh-medium provision has grown, including a new unit at Ysgol Gŵyr.', cy: 'Mae athrawon arbenigol yn rhoi cyngor defnyddiol i ysgolion, ac mae darpariaeth cyfrwng Cymraeg wedi tyfu, gan gynnwys uned newydd yn Ysgol Gŵyr.' },
      { en: 'Parents and carers report that they are involved in planning for their children.', cy: 'Mae rhieni a gofalwyr yn dweud eu bod yn cymryd rhan wrth gynllunio ar gyfer eu plant.' },
    ],
    improvement: [
      { en: 'The quality of individual development plans varies too much between schools.', cy: 'Mae ansawdd cynlluniau datblygu unigol yn amrywio gormod rhwng ysgolion.' },
      { en: 'Waiting times for some specialist assessments are too long.', cy: 'Mae amseroedd aros ar gyfer rhai asesiadau arbenigol yn rhy hir.' },
      { en: 'The authority has not yet agreed with health partners how they will share information about young children.', cy: 'Nid yw’r awdurdod eto wedi cytuno â phartneriaid iechyd sut y byddant yn rhannu gwybodaeth am blant ifanc.' },
    ],
  },
]

/** A letter as the builder would make it; a fresh copy each call (ids differ, content is the same). */
export function sampleLetter(): LetterModel {
  nextId = 1
  let position = 0
  let findingId = 100
  const director = 'Elin Llŷr'
  const sections: LetterSectionModel[] = [
    section('opening', position++, { en: '', cy: '' }, [
      paragraph(`Dear ${director},`, `Annwyl ${director},`, { fixed: true }),
    ]),
    section('purpose', position++, { en: 'The purpose of the visit', cy: 'Diben yr ymweliad' }, [
      paragraph(
        'An enhanced link inspector visit looks at how well the local authority is carrying out its work on a few areas that we agreed with you. It does not lead to a judgement or to any follow-up activity.',
        'Mae ymweliad gwell gan arolygydd cyswllt yn edrych ar ba mor dda y mae’r awdurdod lleol yn gwneud ei waith mewn ychydig o feysydd y cytunwyd arnynt â chi. Nid yw’n arwain at farn nac at unrhyw weithgarwch dilynol.',
        { fixed: true }),
    ]),
    section('visit', position++, { en: 'The visit', cy: 'Yr ymweliad' }, [
      paragraph(
        'Three inspectors visited Ceredigion County Council from 2 to 6 March 2026. We met the director, senior officers, headteachers, governors and elected members, and looked at documents and data.',
        'Bu tri arolygydd yn ymweld â Chyngor Sir Ceredigion rhwng 2 a 6 Mawrth 2026. Gwnaethom gyfarfod â’r cyfarwyddwr, uwch swyddogion, penaethiaid, llywodraethwyr ac aelodau etholedig, ac edrych ar ddogfennau a data.'),
      paragraph('The team:', 'Y tîm:'),
      paragraph('Rhian Ŵyn Jones HMI (lead inspector)', 'Rhian Ŵyn Jones AEF (arolygydd arweiniol)', { style: 'bullet' }),
      paragraph('Dafydd Prŷs HMI', 'Dafydd Prŷs AEF', { style: 'bullet' }),
      paragraph('Siân Evans, peer inspector', 'Siân Evans, arolygydd cymheiriaid', { style: 'bullet' }),
    ]),
  ]
  for (const fa of FOCUS_AREAS) {
    const key = `focus:${fa.id}`
    sections.push(section(key, position++, fa.heading, [paragraph(fa.intro.en, fa.intro.cy)], fa.id))
    for (const [part, heading, findings] of [
      ['working_well', { en: 'What is working well', cy: 'Beth sy’n gweithio’n dda' }, fa.workingWell],
      ['improvement', { en: 'Considerations for improvement', cy: 'Ystyriaethau ar gyfer gwella' }, fa.improvement],
    ] as const) {
      sections.push(section(`${key}:${part}`, position++, heading,
        findings.map((f) => paragraph(f.en, f.cy, { style: 'bullet', findingIds: [findingId++] })), fa.id))
    }
  }
  sections.push(section('closing', position, { en: 'After the visit', cy: 'Ar ôl yr ymweliad' }, [
    paragraph(
      'This letter sets out what we found. There is no follow-up judgement or activity. We would like to thank everyone who gave their time to the visit.',
      'Mae’r llythyr hwn yn nodi’r hyn a welsom. Nid oes barn na gweithgarwch dilynol. Hoffem ddiolch i bawb a roddodd o’u hamser i’r ymweliad.',
      { fixed: true }),
    paragraph('Yours sincerely,', 'Yn gywir,', { fixed: true }),
    paragraph('Rhian Ŵyn Jones HMI', 'Rhian Ŵyn Jones AEF', { fixed: true }),
  ]))
  return {
    id: 1,
    elvId: 1,
    state: 'draft',
    version: 1,
    date: '2026-03-12',
    authority: { en: 'Ceredigion County Council', cy: 'Cyngor Sir Ceredigion' },
    director: { name: director, email: 'elin.llyr@ceredigion.gov.uk' },
    letterhead: DEFAULT_LETTERHEAD,
    title: {
      en: 'Enhanced link inspector visit to Ceredigion County Council: feedback',
      cy: 'Ymweliad gwell gan arolygydd cyswllt â Chyngor Sir Ceredigion: adborth',
    },
    sections,
  }
}

/** The twelve findings' text, in the order the letter gives them. */
export const SAMPLE_FINDINGS: ReadonlyArray<Finding> = FOCUS_AREAS.flatMap((fa) => [...fa.workingWell, ...fa.improvement])
