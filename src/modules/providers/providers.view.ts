import type { ErrorDetail } from '../../http/errors.ts'
import { translateDetail, type PageErrors } from '../../http/form-errors.ts'
import type { Translate } from '../../i18n/catalogue.ts'
import { PROVIDER_COLUMNS, PROVIDER_KINDS } from './providers.csv.ts'
import type { Preparation } from './providers.service.ts'

/** A short example shown on the import page (docs/examples/providers.csv is a fuller one). */
export const EXAMPLE_CSV = [
  'authority_gss,reference,name,kind,last_inspected_on,summary,report_url',
  'W06000008,6672001,Ysgol Gynradd Aberaeron,primary,2025-03-12,"Strong teaching; attendance, though improving, is below average",https://www.estyn.gov.wales/provider/6672001',
  'W06000008,6674002,Ysgol Bro Teifi,all_age,2024-11-05,"Leaders describe it as ""a school for the whole community""",',
  'W06000008,6671003,Canolfan Addysg Ceredigion,pupil_referral_unit,,,',
].join('\n')

/** The error summary lists at most this many problems: a badly wrong file could have thousands. */
export const SUMMARY_LIMIT = 50

/** Every problem of a refused file points at the one field there is, the pasted text. */
export function importErrors(details: ErrorDetail[], t: Translate): PageErrors {
  const list: PageErrors['list'] = details.slice(0, SUMMARY_LIMIT).map((d) => ({ text: translateDetail(d, t), href: '#csv' }))
  const more = details.length - SUMMARY_LIMIT
  if (more > 0) list.push({ text: t('providers.import.andMore', { count: more }), href: '#csv' })
  return { list, byField: { csv: { text: t('providers.import.rejected', { count: details.length }) } } }
}

/** The table of columns on the import page, the file format documented where it is used. */
export function importPageColumns(t: Translate) {
  return PROVIDER_COLUMNS.map((name) => ({
    name,
    required: t(['authority_gss', 'reference', 'name', 'kind'].includes(name) ? 'common.yes' : 'common.no'),
    description: t(`providers.column.${name}`, { kinds: PROVIDER_KINDS.join(', ') }),
  }))
}

export function kindLabel(kind: string, t: Translate): string {
  return (PROVIDER_KINDS as readonly string[]).includes(kind) ? t(`providers.kind.${kind}`) : kind
}

export function preparationView(prep: Preparation, t: Translate) {
  return {
    elv: prep.elv,
    termStartsOn: prep.termStartsOn,
    inspectedFrom: prep.inspectedFrom,
    focusAreas: prep.focusAreas,
    providers: prep.providers.map((p) => ({
      name: p.name, kind: kindLabel(p.kind, t), inspectedOn: p.last_inspected_on, summary: p.summary, reportUrl: p.report_url,
    })),
    readsLinkNotes: prep.readsLinkNotes,
    linkNotes: prep.linkNotes.map((n) => ({
      notedOn: n.noted_on, kind: t(`providers.linkNoteKind.${n.kind}`), title: n.title, excerpt: n.truncated ? `${n.excerpt}…` : n.excerpt,
    })),
  }
}
