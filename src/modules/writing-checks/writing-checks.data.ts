import type { WritingRuleKind } from '../../db/schema.ts'

export interface BuiltInRule {
  code: string
  kind: WritingRuleKind
  lang: 'en' | 'cy' | 'both'
  pattern: string
}

/**
 * The rules a new installation starts with; their messages are the catalogue's
 * `writingChecks.builtIn.<code>` in both languages. Seeding adds a missing code and never changes
 * a rule already there, so an administrator's changes survive every start.
 *
 * Quantity bands follow the inspectorate's table (../shared/reference/README.md, "to confirm"):
 * "nearly all" is "with very few exceptions", that is fewer than 10% not, so over 90%.
 */
export const BUILT_IN_RULES: readonly BuiltInRule[] = [
  // A summative grade word used as a judgement; set phrases that merely contain one are allowed.
  { code: 'grade-words-en', kind: 'grade_word', lang: 'en', pattern: 'excellent|good|adequate|unsatisfactory|!good practice|!good practices' },
  {
    code: 'grade-words-cy', kind: 'grade_word', lang: 'cy',
    // "da" mutates to "dda", "rhagorol" to "ragorol", "digonol" to "ddigonol"; "working well", "going well", "please" and "good practice" are not grades.
    pattern: "rhagorol|ragorol|da|dda|digonol|ddigonol|anfoddhaol|!arfer da|!arfer dda|!arferion da|!arferion dda|!gweithio'n dda|!weithio'n dda|!gweithio yn dda|!weithio yn dda|!mynd yn dda|!fynd yn dda|!gwelwch yn dda",
  },
  // An ELV has no follow-up judgement or activity.
  { code: 'follow-up-en', kind: 'follow_up', lang: 'en', pattern: 'must|will be monitored|follow-up' },
  { code: 'follow-up-cy', kind: 'follow_up', lang: 'cy', pattern: 'rhaid|bydd yn cael ei fonitro|bydd yn cael ei monitro|bydd yn cael eu monitro|dilynol' },
  { code: 'sentence-length', kind: 'sentence_length', lang: 'both', pattern: '40' },
  { code: 'quantity-nearly-all-en', kind: 'quantity', lang: 'en', pattern: 'nearly all|almost all:>90' },
  { code: 'quantity-most-en', kind: 'quantity', lang: 'en', pattern: 'most|!at most|!the most:>=90' },
  { code: 'quantity-many-en', kind: 'quantity', lang: 'en', pattern: 'many|!how many|!as many as:>=70' },
  { code: 'quantity-majority-en', kind: 'quantity', lang: 'en', pattern: 'a majority|the majority:>60' },
  { code: 'quantity-half-en', kind: 'quantity', lang: 'en', pattern: 'half|!half-term:=50' },
  { code: 'quantity-around-half-en', kind: 'quantity', lang: 'en', pattern: 'around half|about half:45-55' },
  { code: 'quantity-minority-en', kind: 'quantity', lang: 'en', pattern: 'a minority|the minority:<40' },
  { code: 'quantity-few-en', kind: 'quantity', lang: 'en', pattern: 'few|!a few|!quite a few:<20' },
  { code: 'quantity-very-few-en', kind: 'quantity', lang: 'en', pattern: 'very few:<10' },
  { code: 'quantity-nearly-all-cy', kind: 'quantity', lang: 'cy', pattern: 'bron pob un|bron bob un|bron y cyfan:>90' },
  // "y rhan fwyaf" is also written "i'r rhan fwyaf", "yn y rhan fwyaf": the common part is enough.
  { code: 'quantity-most-cy', kind: 'quantity', lang: 'cy', pattern: 'rhan fwyaf:>=90' },
  { code: 'quantity-many-cy', kind: 'quantity', lang: 'cy', pattern: 'llawer|!llawer mwy|!llawer llai|!llawer gwell:>=70' },
  { code: 'quantity-majority-cy', kind: 'quantity', lang: 'cy', pattern: 'mwyafrif|fwyafrif:>60' },
  { code: 'quantity-half-cy', kind: 'quantity', lang: 'cy', pattern: 'hanner:=50' },
  { code: 'quantity-around-half-cy', kind: 'quantity', lang: 'cy', pattern: 'tua hanner|oddeutu hanner:45-55' },
  { code: 'quantity-minority-cy', kind: 'quantity', lang: 'cy', pattern: 'lleiafrif|leiafrif:<40' },
  { code: 'quantity-few-cy', kind: 'quantity', lang: 'cy', pattern: 'ychydig:<20' },
  { code: 'quantity-very-few-cy', kind: 'quantity', lang: 'cy', pattern: 'ychydig iawn:<10' },
]
