import { randomUUID } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { EVIDENCE_KINDS } from '../../db/schema.ts'
import { AppError, notFound } from '../../http/errors.ts'
import { idParam, isFormError } from '../../http/route-helpers.ts'
import { pageErrors, translateDetail } from '../../http/form-errors.ts'
import { paths } from '../../http/paths.ts'
import { pageNumber } from '../../http/pagination.ts'
import { formatDateTime } from '../../http/web.ts'
import { themeLabel } from '../themes/themes.service.ts'
import { authorityName, elvTabs } from '../visits/visits.view.ts'
import type { ElvView } from '../visits/visits.service.ts'
import type { EvidenceInput, EvidenceView, EvidenceWorkspace } from './evidence.service.ts'
import { evidenceCard, filterFromQuery, formChoices, formInput, formValues, logPaging, type Form } from './evidence.view.ts'

const elvIdOf = (req: FastifyRequest) => idParam(req, 'visit')
const itemIdOf = (req: FastifyRequest) => idParam(req, 'evidence', 'eid')

/** The fields an autosave may send, as JSON; anything else is ignored. */
function autosaveInput(body: unknown): EvidenceInput {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  const { kind, title, source, meetingId, gatheredOn, focusAreaIds, themes, version, draftKey } = b
  return { kind, title, body: b.body ?? '', source, meetingId: meetingId ?? '', gatheredOn, focusAreaIds: focusAreaIds ?? [], themes: themes ?? [], version, draftKey }
}

/** The evidence log pages of an ELV: list, record, edit with autosave, bring in link notes and providers. */
export function evidenceRoutes(app: App, services: Services): void {
  const { evidence, linkNotes, providers, clock } = services
  const read = { preHandler: app.require('visits:read') }

  const elvTitle = (req: FastifyRequest, elv: ElvView) =>
    req.t('visits.title', { authority: authorityName(elv, req.lang), ordinal: req.t(`visits.ordinal.${elv.ordinal}`) })

  // ---- the log ----------------------------------------------------------------------------------

  /** Link notes (for those who may read them) and recently inspected providers, with those already brought in. */
  const bringInOffers = async (req: FastifyRequest, elvId: number) => {
    const actor = req.actor!
    const [prep, already] = await Promise.all([providers.preparation(actor, elvId), evidence.broughtIn(actor, elvId)])
    const itemHref = (key: string) => {
      const id = already.get(key)
      return id === undefined ? null : paths.evidenceItem(elvId, id)
    }
    return {
      action: `${paths.elvTab(elvId, 'evidence')}/bring-in`,
      linkNotes: linkNotes.canRead(actor)
        ? prep.linkNotes.map((n) => ({ id: n.id, date: n.noted_on, title: n.title, itemHref: itemHref(`link_note:${n.id}`) }))
        : null,
      providers: prep.providers.map((p) => ({ id: p.id, date: p.last_inspected_on, title: p.name, itemHref: itemHref(`provider:${p.id}`) })),
    }
  }

  const logPage = async (req: FastifyRequest, reply: FastifyReply, elvId: number, error?: AppError) => {
    const actor = req.actor!
    const t = req.t
    const ws = await evidence.workspace(actor, elvId)
    const query = req.query as Record<string, unknown>
    const { filter, chosen } = filterFromQuery(query, ws)
    const result = await evidence.page(actor, elvId, filter, pageNumber(query.page))
    const items = result.items
    const [origins, bringIn] = await Promise.all([evidence.originLabels(items), ws.canRecord ? bringInOffers(req, elvId) : undefined])
    const any = { value: '', text: t('evidence.log.any') }
    return reply.render('evidence/views/log.njk', {
      title: elvTitle(req, ws.elv),
      tabs: elvTabs(elvId, 'evidence', t),
      open: ws.open,
      canRecord: ws.canRecord,
      newHref: paths.newEvidence(elvId),
      logHref: paths.elvTab(elvId, 'evidence'),
      filtered: Boolean(chosen.kind || chosen.focusArea || chosen.theme),
      filters: {
        kinds: [any, ...EVIDENCE_KINDS.map((k) => ({ value: k, text: t(`evidence.kind.${k}`), selected: k === chosen.kind }))],
        focusAreas: [any, ...ws.focusAreas.map((f) => ({ value: String(f.id), text: f.live ? f.title : t('evidence.item.withdrawn', { title: f.title }), selected: String(f.id) === chosen.focusArea }))],
        themes: [any, ...ws.themes.map((th) => ({ value: th.key, text: themeLabel(th, req.lang), selected: th.key === chosen.theme }))],
      },
      items: items.map((i) => evidenceCard(i, { t, lang: req.lang, focusAreas: ws.focusAreas, origins })),
      total: result.total,
      ...logPaging(result, elvId, chosen, t),
      bringIn,
      errors: error ? pageErrors(error.details, t) : undefined,
    }, error ? error.status : 200)
  }

  app.get('/elvs/:id/evidence', read, async (req, reply) => logPage(req, reply, elvIdOf(req)))

  app.post('/elvs/:id/evidence/bring-in', read, async (req, reply) => {
    const elvId = elvIdOf(req)
    await evidence.workspace(req.actor!, elvId)
    const form = (req.body ?? {}) as Form
    try {
      const { item, created } = await evidence.bringInFrom(req.actor!, elvId, { linkNoteId: form.linkNoteId, providerId: form.providerId })
      return reply.flash(created ? 'evidence.bringIn.done' : 'evidence.bringIn.was', { title: item.title }).redirect(paths.elvTab(elvId, 'evidence'), 303)
    } catch (e) {
      if (isFormError(e)) return logPage(req, reply, elvId, e)
      throw e
    }
  })

  // ---- the form: new and edit -------------------------------------------------------------------

  /** The form's parts that do not depend on which item: choices, messages, the token. */
  const formParts = (req: FastifyRequest, ws: EvidenceWorkspace, values: Form) => ({
    values, elvId: ws.elv.id, choices: formChoices(ws, values, req.t, req.lang),
  })

  const newPage = async (req: FastifyRequest, reply: FastifyReply, elvId: number, failed?: { error: AppError; values: Form }) => {
    const ws = await evidence.workspace(req.actor!, elvId)
    if (!ws.canRecord) throw failed?.error ?? new AppError('forbidden', 'You do not have permission to do that.')
    // A new page is a new item: its key makes a first save sent twice record one item (kept when the form comes back with errors).
    const values: Form = failed?.values ?? { gatheredOn: clock.nowIso().slice(0, 10), draftKey: randomUUID() }
    const errors = failed ? pageErrors(failed.error.details, req.t) : undefined
    return reply.render('evidence/views/new.njk', {
      title: elvTitle(req, ws.elv),
      logHref: paths.elvTab(elvId, 'evidence'),
      errors,
      form: {
        ...formParts(req, ws, values), errors, itemId: '', draftKey: typeof values.draftKey === 'string' ? values.draftKey : randomUUID(),
        action: paths.elvTab(elvId, 'evidence'), autosaveUrl: `${paths.elvTab(elvId, 'evidence')}/autosave`,
      },
    }, failed ? failed.error.status : 200)
  }

  app.get('/elvs/:id/evidence/new', read, async (req, reply) => newPage(req, reply, elvIdOf(req)))

  app.post('/elvs/:id/evidence', read, async (req, reply) => {
    const elvId = elvIdOf(req)
    await evidence.workspace(req.actor!, elvId)
    const form = (req.body ?? {}) as Form
    try {
      const item = await evidence.create(req.actor!, elvId, formInput(form))
      return reply.flash('evidence.form.created').redirect(paths.evidenceItem(elvId, item.id), 303)
    } catch (e) {
      if (isFormError(e)) return newPage(req, reply, elvId, { error: e, values: form })
      throw e
    }
  })

  /** An item of this ELV as the actor may see it; an item of another ELV is not found here. */
  const itemOf = async (req: FastifyRequest, elvId: number, id: number): Promise<EvidenceView> => {
    const item = await evidence.get(req.actor!, id)
    if (item.elv_id !== elvId) throw notFound('evidence')
    return item
  }

  /**
   * The item and, for those who may record, its form. After a refused save the form keeps what was
   * typed; when someone else saved first (`current`), their version is shown beside it and the
   * form carries their version number, so saving again is a deliberate choice.
   */
  const itemPage = async (req: FastifyRequest, reply: FastifyReply, elvId: number, id: number, failed?: { error: AppError; values: Form; current?: EvidenceView }) => {
    const t = req.t
    const ws = await evidence.workspace(req.actor!, elvId)
    const item = failed?.current ?? await itemOf(req, elvId, id)
    const origins = await evidence.originLabels([item])
    const card = evidenceCard(item, { t, lang: req.lang, focusAreas: ws.focusAreas, origins })
    const values = failed?.values ?? formValues(item)
    const current = failed?.current
    const errors = !failed ? undefined : current
      ? { list: [{ text: t('evidence.conflict.summary'), href: '#saved-version' }], byField: {} }
      : pageErrors(failed.error.details, t)
    const version = current ? String(current.version) : failed ? String(values.version ?? item.version) : String(item.version)
    return reply.render('evidence/views/item.njk', {
      title: elvTitle(req, ws.elv),
      logHref: paths.elvTab(elvId, 'evidence'),
      item: card,
      open: ws.open,
      errors,
      form: ws.canRecord ? {
        ...formParts(req, ws, values), errors, itemId: String(item.id), version,
        action: paths.evidenceItem(elvId, item.id), autosaveUrl: `${paths.evidenceItem(elvId, item.id)}/autosave`,
        saved: current ? { by: current.updated_by_name ?? t('evidence.item.system'), at: formatDateTime(current.updated_at, req.lang), title: current.title, body: current.body } : undefined,
      } : undefined,
    }, failed ? failed.error.status : 200)
  }

  app.get('/elvs/:id/evidence/:eid', read, async (req, reply) => itemPage(req, reply, elvIdOf(req), itemIdOf(req)))

  app.post('/elvs/:id/evidence/:eid', read, async (req, reply) => {
    const elvId = elvIdOf(req)
    const id = itemIdOf(req)
    await evidence.workspace(req.actor!, elvId)
    await itemOf(req, elvId, id)
    const form = (req.body ?? {}) as Form
    try {
      await evidence.update(req.actor!, id, formInput(form))
      return reply.flash('evidence.form.saved').redirect(paths.evidenceItem(elvId, id), 303)
    } catch (e) {
      if (e instanceof AppError && e.code === 'version_conflict') {
        return itemPage(req, reply, elvId, id, { error: e, values: form, current: await evidence.get(req.actor!, id) })
      }
      if (isFormError(e)) return itemPage(req, reply, elvId, id, { error: e, values: form })
      throw e
    }
  })

  // ---- autosave (JSON, for evidence-autosave.js) ------------------------------------------------

  const saved = (item: EvidenceView) => ({ id: item.id, version: item.version, savedAt: item.updated_at, url: paths.evidenceItem(item.elv_id, item.id) })

  /** Refusals answered as JSON in the reader's language, so the script can show them; anything else is a fault. */
  const refused = async (req: FastifyRequest, reply: FastifyReply, e: unknown, conflictOf?: number) => {
    if (!(e instanceof AppError)) throw e
    const error = { code: e.code, message: e.message, details: e.details.map((d) => ({ path: d.path, code: d.messageKey, message: translateDetail(d, req.t) })) }
    if (e.code === 'version_conflict' && conflictOf !== undefined) {
      const c = await evidence.get(req.actor!, conflictOf)
      return reply.code(409).send({
        error,
        current: { version: c.version, title: c.title, body: c.body, updatedBy: c.updated_by_name ?? req.t('evidence.item.system'), updatedAt: c.updated_at },
      })
    }
    return reply.code(e.status).send({ error })
  }

  app.post('/elvs/:id/evidence/autosave', read, async (req, reply) => {
    try {
      const elvId = elvIdOf(req)
      await evidence.workspace(req.actor!, elvId)
      return reply.code(201).send(saved(await evidence.create(req.actor!, elvId, autosaveInput(req.body))))
    } catch (e) {
      return refused(req, reply, e)
    }
  })

  app.post('/elvs/:id/evidence/:eid/autosave', read, async (req, reply) => {
    const id = itemIdOf(req)
    try {
      const elvId = elvIdOf(req)
      await evidence.workspace(req.actor!, elvId)
      await itemOf(req, elvId, id)
      return reply.send(saved(await evidence.update(req.actor!, id, autosaveInput(req.body))))
    } catch (e) {
      return refused(req, reply, e, id)
    }
  })
}
