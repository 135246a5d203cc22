import type { Translate } from '../../i18n/catalogue.ts'
import type { LetterFile } from '../../db/schema.ts'
import { translateDetail } from '../../http/form-errors.ts'
import type { ErrorDetail } from '../../http/errors.ts'
import { paths } from '../../http/paths.ts'
import { LETTER_LANGUAGES } from '../letters/render/layout.ts'
import type { IssuedFormat } from './letter-issue.repository.ts'

const FORMATS: readonly IssuedFormat[] = ['pdf', 'docx', 'html']

/** The letter tab's downloads and issue panel. */
export function issuePanel(elvId: number, opts: {
  t: Translate
  issuedOn: string | null
  files: readonly LetterFile[]
  version: number
  may: boolean
  unmet: readonly ErrorDetail[]
}) {
  const { t } = opts
  const sha = new Map(opts.files.map((f) => [`${f.format}:${f.lang}`, f.sha256]))
  return {
    issued: opts.issuedOn !== null,
    issuedOn: opts.issuedOn ?? '',
    formats: FORMATS.map((f) => ({ label: t(`letterIssue.format.${f}`) })),
    rows: LETTER_LANGUAGES.map((lang) => ({
      label: t(`letterIssue.lang.${lang}`),
      cells: FORMATS.map((format) => ({
        text: t(`letterIssue.format.${format}`),
        href: `${paths.elv(elvId)}/letter.${format}?lang=${lang}`,
        sha256: sha.get(`${format}:${lang}`) ?? null,
      })),
    })),
    showButton: opts.may && opts.issuedOn === null,
    unmet: opts.unmet.map((d) => translateDetail(d, t)),
    action: `${paths.elvTab(elvId, 'letter')}/issue`,
    version: opts.version,
  }
}
