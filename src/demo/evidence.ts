import type { EvidenceKind, FindingKind } from '../db/schema.ts'
import type { Services } from '../services.ts'
import type { Actor } from '../modules/auth/actor.ts'

/** One demo evidence item: `focus` and `meeting` index the visit's focus areas and timetable. */
interface ItemSeed {
  key: string
  kind: EvidenceKind
  title: string
  body: string
  source: string
  focus: number[]
  themes: string[]
  meeting?: number
  /** Shared by the authority itself (through its Documents page) rather than recorded by the team. */
  byAuthority?: boolean
  daysAgo: number
}

interface FindingSeed { focus: number; kind: FindingKind; text: string; evidence: string[]; /** The Welsh for the letter, where the demo has it. */ cy?: string }

export interface VisitEvidenceSeed { items: ItemSeed[]; findings: FindingSeed[] }

/**
 * Records a visit's demo evidence and findings through the services (the same calls the pages
 * make), so every item has its recorder, tags and search words, and every finding its triangulation.
 */
export async function seedVisitEvidence(services: Services, elvId: number, team: Actor, authority: Actor, seed: VisitEvidenceSeed, today: string): Promise<void> {
  const focusAreas = (await services.focusAreas.list(team, elvId)).map((f) => f.id)
  const meetings = (await services.timetable.list(team, elvId)).meetings.map((m) => m.id)
  const ids = new Map<string, number>()
  for (const item of seed.items) {
    const created = await services.evidence.create(item.byAuthority ? authority : team, elvId, {
      kind: item.kind, title: item.title, body: item.body, source: item.source,
      gatheredOn: new Date(Date.parse(`${today}T00:00:00Z`) - item.daysAgo * 86_400_000).toISOString().slice(0, 10),
      meetingId: item.meeting === undefined ? undefined : meetings[item.meeting],
      focusAreaIds: item.byAuthority ? [] : item.focus.map((i) => focusAreas[i]!),
      themes: item.themes,
    })
    // The authority does not tag; the team tags what the authority shared.
    if (item.byAuthority && item.focus.length) {
      await services.evidence.update(team, created.id, { focusAreaIds: item.focus.map((i) => focusAreas[i]!), version: created.version })
    }
    ids.set(item.key, created.id)
  }
  for (const f of seed.findings) {
    await services.findings.create(team, elvId, { focusAreaId: focusAreas[f.focus], kind: f.kind, text: f.text, evidenceIds: f.evidence.map((k) => ids.get(k)!) })
  }
}

/** Ceredigion, in fieldwork: a good start on Welsh-medium growth, thin evidence so far on ALN. */
export const CEREDIGION_EVIDENCE: VisitEvidenceSeed = {
  items: [
    { key: 'opening', kind: 'meeting_note', title: 'Demo: opening meeting with the director', meeting: 0, focus: [0, 1], themes: ['welsh-medium-education', 'additional-learning-needs'], source: 'Director of education', daysAgo: 1,
      body: 'Fictional demo note. The director set out the plan to open two more Welsh-medium primary classes in the south of the county by 2027. She said recruitment of Welsh-speaking ALN co-ordinators is the main risk.' },
    { key: 'wesp', kind: 'authority_document', title: 'Demo: Welsh in Education Strategic Plan, annual review', byAuthority: true, focus: [0], themes: ['welsh-medium-education'], source: 'Ceredigion County Council', daysAgo: 30,
      body: 'Fictional demo summary. The annual review reports progress against each outcome of the ten-year plan, with the number of learners taught through Welsh rising in each of the last three years.' },
    { key: 'places', kind: 'data', title: 'Demo: Welsh-medium primary places, 2021 to 2025', focus: [0], themes: ['welsh-medium-education'], source: 'Authority place-planning data', daysAgo: 14,
      body: 'Fictional demo data. Reception places taught through Welsh rose from 61% to 68% of all places; waiting lists remain in two towns.' },
    { key: 'officers', kind: 'meeting_note', title: 'Demo: officers for the first focus area', meeting: 1, focus: [0], themes: ['welsh-medium-education', 'school-improvement'], source: 'Head of school improvement', daysAgo: 1,
      body: 'Fictional demo note. Officers described a clear sequence for consultation, transport and staffing for each new class, reviewed termly by the Welsh in Education Forum.' },
    { key: 'heads', kind: 'meeting_note', title: 'Demo: headteachers’ group', meeting: 2, focus: [1], themes: ['additional-learning-needs'], source: 'Primary and secondary headteachers', daysAgo: 1,
      body: 'Fictional demo note. Headteachers valued the ALN training but said advice on individual development plans differs between officers, and secondary colleagues were less sure who to ask.' },
  ],
  findings: [
    { focus: 0, kind: 'working_well', evidence: ['opening', 'wesp', 'places', 'officers'],
      text: 'The authority has a clear, well-understood plan for growing Welsh-medium places, and tracks its progress closely.' },
    { focus: 1, kind: 'improvement', evidence: ['heads'],
      text: 'Schools do not yet receive consistent advice on individual development plans.' },
  ],
}

/** Denbighshire, in drafting: most findings are secure; one still needs corroboration. */
export const DENBIGHSHIRE_EVIDENCE: VisitEvidenceSeed = {
  items: [
    { key: 'director', kind: 'meeting_note', title: 'Demo: opening meeting with the director', meeting: 0, focus: [0, 1], themes: ['attendance', 'self-evaluation'], source: 'Director of education', daysAgo: 10,
      body: 'Fictional demo note. The director described the new attendance strategy and how the authority now uses its own self-evaluation to set priorities for each team.' },
    { key: 'strategy', kind: 'authority_document', title: 'Demo: attendance strategy 2025 to 2028', byAuthority: true, focus: [0], themes: ['attendance'], source: 'Denbighshire County Council', daysAgo: 40,
      body: 'Fictional demo summary. The strategy sets termly targets for persistent absence and names a lead officer for each secondary school.' },
    { key: 'absence', kind: 'data', title: 'Demo: persistent absence by term, secondary schools', focus: [0], themes: ['attendance', 'poverty-and-attainment'], source: 'Authority attendance data', daysAgo: 20,
      body: 'Fictional demo data. Persistent absence fell from 21% to 16% over four terms; pupils eligible for free school meals improved more slowly.' },
    { key: 'officers', kind: 'meeting_note', title: 'Demo: officers for the first focus area', meeting: 1, focus: [0], themes: ['attendance'], source: 'Attendance and wellbeing lead', daysAgo: 10,
      body: 'Fictional demo note. Officers showed how family engagement officers follow up every pupil below 90% attendance within a week.' },
    { key: 'heads', kind: 'meeting_note', title: 'Demo: headteachers’ group', meeting: 2, focus: [0, 1], themes: ['attendance', 'self-evaluation'], source: 'Primary and secondary headteachers', daysAgo: 10,
      body: 'Fictional demo note. Headteachers said the attendance team is quick to respond. They found the authority’s self-evaluation clearer than before, but its targets for schools are not always measurable.' },
    { key: 'cabinet', kind: 'meeting_note', title: 'Demo: cabinet member for education', meeting: 3, focus: [1], themes: ['self-evaluation', 'leadership'], source: 'Cabinet member for education', daysAgo: 9,
      body: 'Fictional demo note. The cabinet member receives termly self-evaluation reports and challenges officers on progress; scrutiny members receive less detail.' },
    { key: 'sef', kind: 'authority_document', title: 'Demo: education services self-evaluation report', byAuthority: true, focus: [1], themes: ['self-evaluation'], source: 'Denbighshire County Council', daysAgo: 45,
      body: 'Fictional demo summary. The report evaluates each service against its plan and identifies school improvement support for secondary schools as the weakest area.' },
  ],
  findings: [
    { focus: 0, kind: 'working_well', evidence: ['director', 'strategy', 'absence', 'officers'],
      text: 'Persistent absence in secondary schools has fallen steadily since the authority introduced its attendance strategy.' },
    { focus: 0, kind: 'improvement', evidence: ['absence', 'heads', 'officers'],
      text: 'The attendance of pupils eligible for free school meals has improved more slowly than that of their peers.' },
    { focus: 1, kind: 'working_well', evidence: ['director', 'cabinet', 'sef'],
      text: 'Leaders use a clear, honest self-evaluation to set the priorities of each service.' },
    { focus: 1, kind: 'improvement', evidence: ['heads'],
      text: 'Targets set for schools are not always measurable.' },
  ],
}

/**
 * Two visits written up in full, for the letter: every finding secure, with its Welsh, so their
 * letters can go through review (Blaenau Gwent) and be issued (Torfaen).
 */
function writtenUp(place: string, council: string): VisitEvidenceSeed {
  return {
    items: [
      { key: 'director', kind: 'meeting_note', title: 'Demo: opening meeting with the director', meeting: 0, focus: [0, 1], themes: ['school-improvement', 'leadership'], source: 'Director of education', daysAgo: 12,
        body: `Fictional demo note. The director of ${place} described how school improvement support is now planned with headteachers and reviewed each term.` },
      { key: 'plan', kind: 'authority_document', title: 'Demo: education services improvement plan', byAuthority: true, focus: [0, 1], themes: ['self-evaluation'], source: council, daysAgo: 50,
        body: 'Fictional demo summary. The plan sets out priorities for school improvement and for learners with additional learning needs, with named leads.' },
      { key: 'data', kind: 'data', title: 'Demo: outcomes of schools causing concern', focus: [0, 1], themes: ['school-improvement'], source: 'Authority performance data', daysAgo: 25,
        body: 'Fictional demo data. Four of the five schools causing concern two years ago have come out of that category.' },
      { key: 'heads', kind: 'meeting_note', title: 'Demo: headteachers’ group', meeting: 2, focus: [0, 1], themes: ['school-improvement', 'additional-learning-needs'], source: 'Primary and secondary headteachers', daysAgo: 12,
        body: 'Fictional demo note. Headteachers said support is timely, but that advice on additional learning needs is not always consistent between officers.' },
    ],
    findings: [
      { focus: 0, kind: 'working_well', evidence: ['director', 'plan', 'data'],
        text: 'Support for schools causing concern is well targeted and has helped most of them improve.',
        cy: 'Mae’r cymorth i ysgolion sy’n peri pryder wedi’i dargedu’n dda ac wedi helpu’r rhan fwyaf ohonynt i wella.' },
      { focus: 0, kind: 'improvement', evidence: ['heads', 'data', 'plan'],
        text: 'The authority does not yet evaluate the impact of its support on pupils’ learning sharply enough.',
        cy: 'Nid yw’r awdurdod eto’n gwerthuso effaith ei gymorth ar ddysgu disgyblion yn ddigon manwl.' },
      { focus: 1, kind: 'working_well', evidence: ['director', 'plan', 'heads'],
        text: 'Leaders have a clear plan for putting the additional learning needs reforms in place.',
        cy: 'Mae gan arweinwyr gynllun clir ar gyfer rhoi’r diwygiadau anghenion dysgu ychwanegol ar waith.' },
      { focus: 1, kind: 'improvement', evidence: ['heads', 'director', 'data'],
        text: 'Advice to schools on individual development plans is not always consistent.',
        cy: 'Nid yw’r cyngor i ysgolion ar gynlluniau datblygu unigol bob amser yn gyson.' },
    ],
  }
}

export const BLAENAU_GWENT_EVIDENCE = writtenUp('Blaenau Gwent', 'Blaenau Gwent County Borough Council')
export const TORFAEN_EVIDENCE = writtenUp('Torfaen', 'Torfaen County Borough Council')

/**
 * Builds the visit's letter and gives every section written from the findings its Welsh (the
 * demo's own translations; headings of focus areas keep their title), so it can be reviewed and issued.
 */
export async function draftBilingualLetter(services: Services, elvId: number, lead: Actor, seed: VisitEvidenceSeed): Promise<void> {
  await services.letters.build(lead, elvId, {})
  const welsh = new Map(seed.findings.flatMap((f) => (f.cy ? [[f.text, f.cy] as const] : [])))
  let model = await services.letters.model(lead, elvId)
  for (const section of model.sections) {
    const written = section.paragraphs.filter((p) => !p.fixed)
    if (!written.length && section.translation.current) continue
    model = await services.letters.updateSection(lead, elvId, section.key, {
      heading: { en: section.heading.en, cy: section.heading.cy || section.heading.en },
      paragraphs: section.paragraphs.map((p) => ({ id: p.id, style: p.style, en: p.text.en, cy: p.text.cy || welsh.get(p.text.en) || p.text.en, findingIds: p.findingIds })),
      translationCurrent: true,
      version: model.version,
    })
  }
}
