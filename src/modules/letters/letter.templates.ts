import type { FindingKind, Language, ParagraphStyle, Role } from '../../db/schema.ts'
import type { Translate } from '../../i18n/catalogue.ts'
import { formatDate } from '../../http/web.ts'
import type { Bilingual } from './letter.model.ts'
import { focusKey } from './letters.rules.ts'

/** What a letter is built from: the visit's record as it stands. Findings here are the secure ones only. */
export interface LetterFacts {
  authority: Bilingual
  directorName: string | null
  visitDays: { day1: string; day2: string } | null
  /** The term's season and academic year, for when the days are not recorded. */
  term: { season: string; academicYear: string } | null
  /** The lead first. */
  team: Array<{ name: string; role: Role; lead: boolean }>
  /** Live focus areas in position order, each with its secure findings by kind, oldest first. */
  focusAreas: Array<{ id: number; title: string; findings: Record<FindingKind, Array<{ id: number; text: string }>> }>
}

export interface ParagraphDraft {
  style: ParagraphStyle
  text: Bilingual
  findingIds: number[]
  fixed: boolean
}

export interface SectionDraft {
  key: string
  focusAreaId: number | null
  heading: Bilingual
  paragraphs: ParagraphDraft[]
  /**
   * 'both' when the section is written in both languages (template wording, or data the same in
   * both); 'en' when only the English exists yet (inspectors' findings), so the Welsh is to come.
   */
  written: 'both' | 'en'
}

/** The letter's words in each language, from the catalogue (letters.template.*), so Welsh review sees them. */
export type LetterWords = Record<Language, Translate>

const both = (words: LetterWords, key: string, params?: Record<Language, Record<string, string>>): Bilingual =>
  ({ en: words.en(`letters.template.${key}`, params?.en), cy: words.cy(`letters.template.${key}`, params?.cy) })

const fixedParagraph = (text: Bilingual, style: ParagraphStyle = 'text'): ParagraphDraft => ({ style, text, findingIds: [], fixed: true })
const noHeading: Bilingual = { en: '', cy: '' }
const PARTS: ReadonlyArray<{ kind: FindingKind; heading: string }> = [
  { kind: 'working_well', heading: 'workingWell' },
  { kind: 'improvement', heading: 'improvement' },
]

/** The letter's title in both languages. */
export function letterTitle(words: LetterWords, authority: Bilingual): Bilingual {
  return both(words, 'title', { en: { authority: authority.en }, cy: { authority: authority.cy } })
}

/**
 * Every section of a freshly built letter, in order (see letter.model.ts for the shape). Template
 * wording is `fixed`; each finding becomes one bullet with its id kept, its English the finding's
 * text and its Welsh empty, to be written.
 */
export function planLetter(facts: LetterFacts, words: LetterWords): SectionDraft[] {
  const perLang = (f: (lang: Language) => Record<string, string>) => ({ en: f('en'), cy: f('cy') })
  const director = perLang((lang) => ({ director: facts.directorName ?? words[lang]('letters.template.greetingRole') }))

  const opening: SectionDraft = {
    key: 'opening', focusAreaId: null, heading: noHeading, written: 'both',
    paragraphs: [fixedParagraph(both(words, 'greeting', director)), fixedParagraph(both(words, 'opening'))],
  }
  const purpose: SectionDraft = {
    key: 'purpose', focusAreaId: null, heading: both(words, 'purposeHeading'), written: 'both',
    paragraphs: [fixedParagraph(both(words, 'purpose')), fixedParagraph(both(words, 'notInspection'))],
  }

  const when = facts.visitDays
    ? both(words, 'visitDays', perLang((lang) => ({ day1: formatDate(facts.visitDays!.day1, lang), day2: formatDate(facts.visitDays!.day2, lang) })))
    : facts.term
      ? both(words, 'visitTerm', perLang((lang) => ({ term: `${words[lang](`visits.season.${facts.term!.season}`)} ${facts.term!.academicYear}` })))
      : null
  const member = (m: LetterFacts['team'][number]) => both(words, m.lead ? 'teamLead' : m.role === 'peer' ? 'teamPeer' : 'teamMember', perLang(() => ({ name: m.name })))
  const visit: SectionDraft = {
    key: 'visit', focusAreaId: null, heading: both(words, 'visitHeading'), written: 'both',
    paragraphs: [
      ...(when ? [fixedParagraph(when)] : []),
      fixedParagraph(both(words, 'visitSources')),
      ...(facts.team.length ? [fixedParagraph(both(words, 'teamIntro')), ...facts.team.map((m) => fixedParagraph(member(m), 'bullet'))] : []),
    ],
  }

  const focus = facts.focusAreas.flatMap((fa): SectionDraft[] => [
    // The title is the focus area's own words, the same in both languages until someone translates it.
    { key: focusKey(fa.id), focusAreaId: fa.id, heading: { en: fa.title, cy: fa.title }, paragraphs: [], written: 'both' },
    ...PARTS.map(({ kind, heading }): SectionDraft => {
      const findings = fa.findings[kind]
      return {
        key: focusKey(fa.id, kind), focusAreaId: fa.id, heading: both(words, heading),
        // A finding's line breaks become spaces: a letter paragraph is one run of text.
        paragraphs: findings.map((f) => ({ style: 'bullet', text: { en: f.text.replace(/\s+/g, ' ').trim(), cy: '' }, findingIds: [f.id], fixed: false })),
        written: findings.length ? 'en' : 'both',
      }
    }),
  ])

  const lead = facts.team.find((m) => m.lead)
  const closing: SectionDraft = {
    key: 'closing', focusAreaId: null, heading: noHeading, written: 'both',
    paragraphs: [
      fixedParagraph(both(words, 'noFollowUp')),
      fixedParagraph(both(words, 'signOff')),
      ...(lead
        ? [fixedParagraph({ en: lead.name, cy: lead.name }), fixedParagraph(both(words, 'leadRole'))]
        : [fixedParagraph(both(words, 'teamSignature'))]),
    ],
  }

  return [opening, purpose, visit, ...focus, closing]
}
