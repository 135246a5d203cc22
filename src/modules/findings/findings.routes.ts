import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { FINDING_KINDS, type Language } from '../../db/schema.ts'
import { notFound, type AppError } from '../../http/errors.ts'
import { idParam, isFormError } from '../../http/route-helpers.ts'
import { pageErrors } from '../../http/form-errors.ts'
import { paths } from '../../http/paths.ts'
import type { Translate } from '../../i18n/catalogue.ts'
import { authorityName, elvTabs } from '../visits/visits.view.ts'
import { themeLabel, type ThemeView } from '../themes/themes.service.ts'
import type { EvidenceView } from '../evidence/evidence.service.ts'
import type { ElvView } from '../visits/visits.service.ts'
import { findingsApiRoutes } from './findings.api.ts'
import type { FindingInput, FindingView } from './findings.service.ts'
import { countsText, groupByFocusArea, matrixTable, needsText, paragraphs, securityTag, thresholdText } from './findings.view.ts'

type Form = Record<string, string | string[] | undefined>

/** This module's own pages that the shared path helpers do not name. */
export const findingsPaths = {
  edit: (elvId: number, id: number) => `/elvs/${elvId}/findings/${id}`,
  remove: (elvId: number, id: number) => `/elvs/${elvId}/findings/${id}/delete`,
  add: (elvId: number, focusAreaId?: number, kind?: string) =>
    `${paths.elvTab(elvId, 'findings')}${focusAreaId ? `?focusAreaId=${focusAreaId}&kind=${kind ?? ''}` : ''}#add-finding`,
} as const

const formOf = (req: FastifyRequest): Form => (req.body && typeof req.body === 'object' ? req.body as Form : {})
const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? v[0] ?? '' : v ?? '')
const many = (v: string | string[] | undefined): string[] => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v])

const elvTitle = (elv: ElvView, req: FastifyRequest) =>
  req.t('visits.title', { authority: authorityName(elv, req.lang), ordinal: req.t(`visits.ordinal.${elv.ordinal}`) })

/**
 * What the form sends, as the service reads it. Unticking every box sends nothing, which means
 * "no evidence" or "no themes" (an empty list), never "leave as it was".
 */
function formInput(form: Form): FindingInput {
  return { focusAreaId: one(form.focusAreaId), kind: one(form.kind), text: one(form.text), evidenceIds: many(form.evidenceIds), themes: many(form.themes), version: one(form.version) }
}

/** A finding as its summary card shows it. */
function findingCard(f: FindingView, n: number, elvId: number, mayChange: boolean, t: Translate, lang: Language) {
  return {
    id: f.id,
    n,
    paragraphs: paragraphs(f.text),
    tag: securityTag(f.triangulation, t),
    counts: countsText(f.triangulation, t),
    needs: needsText(f.triangulation, t),
    evidence: f.evidence.map((e) => ({ href: paths.evidenceItem(elvId, e.id), title: e.title, kind: t(`evidence.kind.${e.kind}`), source: e.source })),
    themes: f.themes.map((th) => themeLabel(th, lang)),
    editHref: mayChange ? findingsPaths.edit(elvId, f.id) : undefined,
    kindHeading: t(`findings.heading.${f.kind}`),
    focusAreaTitle: f.focusAreaTitle,
  }
}

/** The fields of the add and change forms, filled from what was typed (or the finding). */
function formFields(values: Form, focusAreas: ReadonlyArray<{ id: number; title: string }>, evidence: readonly EvidenceView[], themes: readonly ThemeView[], t: Translate, lang: Language) {
  const chosenEvidence = many(values.evidenceIds)
  const chosenThemes = many(values.themes)
  return {
    focusAreaItems: [
      { value: '', text: t('findings.form.chooseFocusArea') },
      ...focusAreas.map((f) => ({ value: String(f.id), text: f.title, selected: String(f.id) === one(values.focusAreaId) })),
    ],
    kindItems: FINDING_KINDS.map((k) => ({ value: k, text: t(`findings.kind.${k}`), checked: k === one(values.kind) })),
    evidenceItems: evidence.map((e) => ({
      value: String(e.id), text: e.title, checked: chosenEvidence.includes(String(e.id)),
      hint: { text: `${t(`evidence.kind.${e.kind}`)} · ${e.source}` },
    })),
    themeItems: themes.map((th) => ({ value: th.key, text: themeLabel(th, lang), checked: chosenThemes.includes(th.key) })),
  }
}

export function findingsRoutes(app: App, services: Services): void {
  const { findings, evidence, themes } = services
  const read = { preHandler: app.require('visits:read') }
  const admin = { preHandler: app.require('admin:reference') }
  findingsApiRoutes(app, services)

  // ---- the findings tab -------------------------------------------------------------------------

  const findingsPage = async (req: FastifyRequest, reply: FastifyReply, id: number, failed?: { error: AppError; values: Form }) => {
    const t = req.t
    const data = await findings.forElv(req.actor!, id)
    const mayChange = data.open && data.canRecord
    const [items, themeList] = mayChange ? await Promise.all([evidence.list(req.actor!, id), themes.list()]) : [[], []]
    // A link from an empty section chooses its focus area and kind for the add form.
    const query = req.query as Record<string, string | undefined>
    const values: Form = failed?.values ?? { focusAreaId: query.focusAreaId, kind: query.kind }
    return reply.render('findings/views/findings.njk', {
      elv: data.elv,
      title: elvTitle(data.elv, req),
      tabs: elvTabs(id, 'findings', t),
      threshold: thresholdText(data.threshold, t),
      open: data.open,
      mayChange,
      sections: groupByFocusArea(data.focusAreas, data.findings).map((s) => ({
        ...s,
        kinds: s.kinds.map((k) => ({
          kind: k.kind,
          findings: k.findings.map((f, i) => findingCard(f, i + 1, id, mayChange, t, req.lang)),
          addHref: findingsPaths.add(id, s.id, k.kind),
        })),
      })),
      hasFocusAreas: data.focusAreas.length > 0,
      hasEvidence: items.length > 0,
      newEvidenceHref: paths.newEvidence(id),
      values,
      ...formFields(values, data.focusAreas, items, themeList, t, req.lang),
      errors: failed ? pageErrors(failed.error.details, t) : undefined,
    }, failed ? failed.error.status : 200)
  }

  app.get('/elvs/:id/findings', read, async (req, reply) => findingsPage(req, reply, idParam(req, 'visit')))

  app.post('/elvs/:id/findings', read, async (req, reply) => {
    const id = idParam(req, 'visit')
    const form = formOf(req)
    try {
      const created = await findings.create(req.actor!, id, formInput(form))
      return reply.flash('findings.flash.added', { title: created.focusAreaTitle }).redirect(`${paths.elvTab(id, 'findings')}#finding-${created.id}`, 303)
    } catch (e) {
      if (isFormError(e)) return findingsPage(req, reply, id, { error: e, values: form })
      throw e
    }
  })

  // ---- one finding: change or delete ------------------------------------------------------------

  const editPage = async (req: FastifyRequest, reply: FastifyReply, elvId: number, findingId: number, failed?: { error: AppError; values?: Form }) => {
    const t = req.t
    const finding = await findings.get(req.actor!, findingId)
    // A finding is reached only under its own visit's address.
    if (finding.elvId !== elvId) throw notFound('finding')
    const data = await findings.forElv(req.actor!, elvId)
    const mayChange = data.open && data.canRecord
    const [items, themeList] = mayChange ? await Promise.all([evidence.list(req.actor!, elvId), themes.list()]) : [[], []]
    const stale = failed?.error.code === 'version_conflict'
    // Only after a refused save does the form take the version now saved: saving again is then a choice made knowingly.
    const values: Form = failed?.values
      ? { ...failed.values, version: stale ? String(finding.version) : failed.values.version }
      : {
        focusAreaId: String(finding.focusAreaId), kind: finding.kind, text: finding.text, version: String(finding.version),
        evidenceIds: finding.evidence.map((e) => String(e.id)), themes: finding.themes.map((th) => th.key),
      }
    return reply.render('findings/views/finding-edit.njk', {
      elv: data.elv,
      title: elvTitle(data.elv, req),
      tabs: elvTabs(elvId, 'findings', t),
      threshold: thresholdText(data.threshold, t),
      finding: findingCard(finding, 1, elvId, false, t, req.lang),
      findingKind: t(`findings.kind.${finding.kind}`),
      focusAreaTitle: finding.focusAreaTitle,
      // After a refused save, what is saved now is shown beside what was typed, so nothing is lost.
      stale,
      mayChange,
      action: findingsPaths.edit(elvId, findingId),
      removeAction: findingsPaths.remove(elvId, findingId),
      backHref: `${paths.elvTab(elvId, 'findings')}#finding-${findingId}`,
      hasEvidence: items.length > 0,
      values,
      ...formFields(values, data.focusAreas, items, themeList, t, req.lang),
      errors: failed ? pageErrors(failed.error.details, t) : undefined,
    }, failed ? failed.error.status : 200)
  }

  const ids = (req: FastifyRequest) => ({ elvId: idParam(req, 'visit'), findingId: idParam(req, 'finding', 'findingId') })

  app.get('/elvs/:id/findings/:findingId', read, async (req, reply) => {
    const { elvId, findingId } = ids(req)
    return editPage(req, reply, elvId, findingId)
  })

  app.post('/elvs/:id/findings/:findingId', read, async (req, reply) => {
    const { elvId, findingId } = ids(req)
    const form = formOf(req)
    const before = await findings.get(req.actor!, findingId)
    if (before.elvId !== elvId) throw notFound('finding')
    try {
      const saved = await findings.update(req.actor!, findingId, formInput(form))
      return reply.flash('findings.flash.saved', { title: saved.focusAreaTitle }).redirect(`${paths.elvTab(elvId, 'findings')}#finding-${findingId}`, 303)
    } catch (e) {
      if (isFormError(e)) return editPage(req, reply, elvId, findingId, { error: e, values: form })
      throw e
    }
  })

  app.post('/elvs/:id/findings/:findingId/delete', read, async (req, reply) => {
    const { elvId, findingId } = ids(req)
    const before = await findings.get(req.actor!, findingId)
    if (before.elvId !== elvId) throw notFound('finding')
    try {
      await findings.remove(req.actor!, findingId, { version: one(formOf(req).version) })
      return reply.flash('findings.flash.deleted', { title: before.focusAreaTitle }).redirect(paths.elvTab(elvId, 'findings'), 303)
    } catch (e) {
      if (isFormError(e)) return editPage(req, reply, elvId, findingId, { error: e })
      throw e
    }
  })

  // ---- the evidence matrix ----------------------------------------------------------------------

  app.get('/elvs/:id/matrix', read, async (req, reply) => {
    const id = idParam(req, 'visit')
    const m = await findings.matrix(req.actor!, id)
    return reply.render('findings/views/matrix.njk', {
      elv: m.elv,
      title: elvTitle(m.elv, req),
      tabs: elvTabs(id, 'matrix', req.t),
      table: matrixTable(m, req.t),
      hasFocusAreas: m.rows.length > 0,
      findingsHref: paths.elvTab(id, 'findings'),
      evidenceHref: paths.elvTab(id, 'evidence'),
      canRecord: await findings.canRecord(req.actor!, m.elv),
    })
  })

  // ---- the threshold, for administrators --------------------------------------------------------

  const settingsPage = async (req: FastifyRequest, reply: FastifyReply, failed?: { error: AppError; values: Form }) => {
    const current = await findings.settings(req.actor!)
    const stale = failed?.error.code === 'version_conflict'
    const values: Form = failed
      ? { ...failed.values, version: stale ? String(current.version) : failed.values.version }
      : { minItems: String(current.minItems), minKinds: String(current.minKinds), minSources: String(current.minSources), version: String(current.version) }
    return reply.render('findings/views/settings.njk', {
      values,
      action: paths.triangulationSettings(),
      current: thresholdText(current, req.t),
      stale,
      errors: failed ? pageErrors(failed.error.details, req.t) : undefined,
    }, failed ? failed.error.status : 200)
  }

  app.get(paths.triangulationSettings(), admin, async (req, reply) => settingsPage(req, reply))

  app.post(paths.triangulationSettings(), admin, async (req, reply) => {
    const form = formOf(req)
    try {
      await findings.saveSettings(req.actor!, { minItems: one(form.minItems), minKinds: one(form.minKinds), minSources: one(form.minSources), version: one(form.version) })
      return reply.flash('findings.settings.flash.saved').redirect(paths.triangulationSettings(), 303)
    } catch (e) {
      if (isFormError(e)) return settingsPage(req, reply, { error: e, values: form })
      throw e
    }
  })
}
