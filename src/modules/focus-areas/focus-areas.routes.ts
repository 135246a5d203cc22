import { Type, type Static } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { FOCUS_SOURCES } from '../../db/schema.ts'
import { AppError, type ErrorDetail } from '../../http/errors.ts'
import { isFormError, isId } from '../../http/route-helpers.ts'
import { errorResponses } from '../../http/api-schemas.ts'
import { pageErrors } from '../../http/form-errors.ts'
import { paths } from '../../http/paths.ts'
import { formatDate } from '../../http/web.ts'
import { ElvParams, type ElvParamsT } from '../visits/visits.api.ts'
import { authorityName, elvTabs } from '../visits/visits.view.ts'
import { CURRENT_FRAMEWORK } from '../link-notes/link-notes.service.ts'
import { OPEN_STATES, sideOf, type FocusAreaView } from './focus-areas.service.ts'

type Form = Record<string, string | string[] | undefined>

const Agreement = Type.Union([Type.Object({ name: Type.Union([Type.String(), Type.Null()]), at: Type.String() }), Type.Null()])
export const FocusAreaJson = Type.Object({
  id: Type.Integer(),
  position: Type.Integer(),
  title: Type.String(),
  description: Type.String(),
  source: Type.Union(FOCUS_SOURCES.map((s) => Type.Literal(s))),
  recommendationId: Type.Union([Type.Integer(), Type.Null()]),
  frameworkAreaCode: Type.Union([Type.String(), Type.Null()]),
  linkNoteIds: Type.Array(Type.Integer(), { description: 'Cited link notes; always empty for authority users and peer inspectors, who may not see them' }),
  proposedBy: Type.Object({ side: Type.Union([Type.Literal('inspectorate'), Type.Literal('authority')]), name: Type.Union([Type.String(), Type.Null()]), at: Type.String() }),
  agreedByInspectorate: Agreement,
  agreedByAuthority: Agreement,
})

export function focusAreaToJson(f: FocusAreaView): Static<typeof FocusAreaJson> {
  return {
    id: f.id, position: f.position, title: f.title, description: f.description, source: f.source,
    recommendationId: f.recommendation_id, frameworkAreaCode: f.framework_area_code, linkNoteIds: f.linkNotes.map((n) => n.id),
    proposedBy: { side: f.proposed_by_side, name: f.proposed_by_name, at: f.proposed_at },
    agreedByInspectorate: f.inspectorate_agreed_at ? { name: f.inspectorate_agreed_by_name, at: f.inspectorate_agreed_at } : null,
    agreedByAuthority: f.authority_agreed_at ? { name: f.authority_agreed_by_name, at: f.authority_agreed_at } : null,
  }
}

const ProposeBody = Type.Object({
  title: Type.String({ maxLength: 150 }),
  description: Type.String({ maxLength: 1000 }),
  source: Type.String({ description: FOCUS_SOURCES.join(', ') }),
  recommendationId: Type.Optional(Type.Integer({ minimum: 1, description: 'Required when source is core_recommendation: a recommendation of the authority\'s core inspection' })),
  frameworkAreaCode: Type.Optional(Type.String({ description: 'An area of the current framework (lges-2024), e.g. 2.2' })),
  linkNoteIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { description: 'For inspectorate_identified: link notes of the same authority' })),
  version: Type.Optional(Type.Integer({ minimum: 1, description: 'The ELV version; when given, refused with 409 if the ELV has changed since' })),
})
const AgreeBody = Type.Union([Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }), Type.Null()])
const FocusAreaParams = Type.Object({ id: Type.Integer({ minimum: 1 }), faId: Type.Integer({ minimum: 1 }) })
type FocusAreaParamsT = Static<typeof FocusAreaParams>

const positiveId = (value: string | undefined): number => {
  const n = Number(value)
  if (!isId(n)) throw new AppError('not_found', 'No such visit.')
  return n
}
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)
const many = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v])

export function focusAreaRoutes(app: App, services: Services): void {
  const { visits, focusAreas, linkNotes, reference } = services
  const read = app.require('visits:read')

  // ---- API ----------------------------------------------------------------------------------
  app.get('/api/v1/elvs/:id/focus-areas', {
    schema: { tags: ['focus areas'], summary: 'The focus areas of an ELV', params: ElvParams, response: { 200: Type.Object({ items: Type.Array(FocusAreaJson) }), ...errorResponses } },
    preHandler: read,
  }, async (req) => ({ items: (await focusAreas.list(req.actor!, (req.params as ElvParamsT).id)).map(focusAreaToJson) }))

  app.post('/api/v1/elvs/:id/focus-areas', {
    schema: {
      tags: ['focus areas'], summary: 'Propose a focus area (either side)',
      description: 'An authority user proposes for the authority; an inspector who can work on the ELV, for the inspectorate. Agreement is a separate action per side.',
      params: ElvParams, body: ProposeBody, response: { 201: FocusAreaJson, ...errorResponses },
    },
    preHandler: read,
  }, async (req, reply) => reply.code(201).send(focusAreaToJson(await focusAreas.propose(req.actor!, (req.params as ElvParamsT).id, req.body as Static<typeof ProposeBody>))))

  app.post('/api/v1/elvs/:id/focus-areas/:faId/agree', {
    schema: { tags: ['focus areas'], summary: 'Agree a focus area for your side', params: FocusAreaParams, body: AgreeBody, response: { 200: FocusAreaJson, ...errorResponses } },
    preHandler: read,
  }, async (req) => {
    const { id, faId } = req.params as FocusAreaParamsT
    return focusAreaToJson(await focusAreas.agree(req.actor!, id, faId, (req.body ?? {}) as { version?: number }))
  })

  // ---- pages --------------------------------------------------------------------------------
  const page = async (req: FastifyRequest, reply: FastifyReply, id: number, error?: AppError, values: Form = {}) => {
    const actor = req.actor!
    const elv = await visits.get(actor, id)
    const { t, lang } = req
    const [areas, canWork, recommendations, frameworkAreas] = await Promise.all([
      focusAreas.list(actor, id), visits.canWork(actor, elv), focusAreas.recommendations(actor, id), reference.getFramework(CURRENT_FRAMEWORK),
    ])
    const isAuthority = actor.role === 'la'
    const open = OPEN_STATES.includes(elv.state)
    const side = sideOf(actor)
    const mayAgree = open && (isAuthority || canWork)
    const notes = linkNotes.canRead(actor) && canWork && open ? await linkNotes.list(actor, elv.authority_code) : []
    const areaName = (code: string | null) => {
      const a = frameworkAreas.areas.find((x) => x.code === code)
      return a ? `${a.code} ${lang === 'cy' ? a.name_cy : a.name_en}` : code
    }
    const agreement = (name: string | null, at: string | null) => (at ? { agreed: true, text: t('focusAreas.agreedBy', { name: name ?? t('focusAreas.someone'), date: formatDate(at, lang) }) } : { agreed: false })
    const chosenNotes = many(values.linkNoteIds)
    const withdrawErrorFor = one(values.faId)
    return reply.render('focus-areas/views/focus-areas.njk', {
      elv, values, open,
      title: t('visits.title', { authority: authorityName(elv, lang), ordinal: t(`visits.ordinal.${elv.ordinal}`) }),
      tabs: elvTabs(id, 'focus-areas', t),
      canPropose: open && (isAuthority || canWork),
      canWithdraw: open && canWork,
      areas: areas.map((f) => ({
        id: f.id,
        title: f.title,
        description: f.description,
        source: t(`focusAreas.source.${f.source}`),
        // A recommendation recorded in one language only is shown in that language rather than as nothing.
        recommendation: f.recommendation_code ? `${f.recommendation_code}: ${inLanguage(lang, f.recommendation_text_en, f.recommendation_text_cy)}` : null,
        linkNotes: f.linkNotes.map((n) => ({ title: n.title, date: formatDate(n.noted_on, lang) })),
        frameworkArea: f.framework_area_code ? areaName(f.framework_area_code) : null,
        proposed: t('focusAreas.proposedBy', { name: f.proposed_by_name ?? t('focusAreas.someone'), side: t(`focusAreas.side.${f.proposed_by_side}`), date: formatDate(f.proposed_at, lang) }),
        inspectorate: agreement(f.inspectorate_agreed_by_name, f.inspectorate_agreed_at),
        authority: agreement(f.authority_agreed_by_name, f.authority_agreed_at),
        agreeLabel: mayAgree && !(side === 'authority' ? f.authority_agreed_at : f.inspectorate_agreed_at) ? t(side === 'authority' ? 'focusAreas.agreeAuthority' : 'focusAreas.agreeInspectorate') : null,
        reasonError: error && withdrawErrorFor === String(f.id) ? pageErrors(error.details, t).byField.reason : undefined,
        reasonValue: withdrawErrorFor === String(f.id) ? one(values.reason) : undefined,
      })),
      sources: FOCUS_SOURCES.map((s) => ({ value: s, text: t(`focusAreas.source.${s}`), checked: one(values.source) === s })),
      recommendations: recommendations.length
        ? [{ value: '', text: t('focusAreas.recommendationNone') }, ...recommendations.map((r) => ({
          value: String(r.id), text: `${r.academic_year} ${r.code}: ${inLanguage(lang, r.text_en, r.text_cy)}`, selected: one(values.recommendationId) === String(r.id),
        }))]
        : [],
      frameworkAreas: [{ value: '', text: t('focusAreas.areaNone') }, ...frameworkAreas.areas.map((a) => ({
        value: a.code, text: `${a.code} ${lang === 'cy' ? a.name_cy : a.name_en}`, selected: one(values.frameworkAreaCode) === a.code,
      }))],
      linkNotes: notes.map((n) => ({ value: String(n.id), text: `${formatDate(n.noted_on, lang)}: ${n.title}`, checked: chosenNotes.includes(String(n.id)) })),
      errors: error ? pageErrors(withdrawErrorFor ? error.details.map((d): ErrorDetail => (d.path === 'reason' ? { ...d, path: `reason-${withdrawErrorFor}` } : d)) : error.details, t) : undefined,
    }, error ? error.status : 200)
  }

  const elvId = (req: FastifyRequest) => positiveId((req.params as { id: string }).id)
  const faId = (req: FastifyRequest) => positiveId((req.params as { faId: string }).faId)

  app.get('/elvs/:id/focus-areas', { preHandler: read }, async (req, reply) => page(req, reply, elvId(req)))

  app.post('/elvs/:id/focus-areas', { preHandler: read }, async (req, reply) => {
    const id = elvId(req)
    const form = (req.body ?? {}) as Form
    try {
      await focusAreas.propose(req.actor!, id, {
        title: one(form.title), description: one(form.description), source: one(form.source), recommendationId: one(form.recommendationId),
        frameworkAreaCode: one(form.frameworkAreaCode), linkNoteIds: many(form.linkNoteIds), version: one(form.version),
      })
      return reply.flash('focusAreas.proposed').redirect(paths.elvTab(id, 'focus-areas'), 303)
    } catch (e) {
      if (isFormError(e)) return page(req, reply, id, e, form)
      throw e
    }
  })

  app.post('/elvs/:id/focus-areas/:faId/agree', { preHandler: read }, async (req, reply) => {
    const id = elvId(req)
    const form = (req.body ?? {}) as Form
    try {
      await focusAreas.agree(req.actor!, id, faId(req), { version: one(form.version) })
      return reply.flash('focusAreas.agreed').redirect(paths.elvTab(id, 'focus-areas'), 303)
    } catch (e) {
      if (isFormError(e)) return page(req, reply, id, e)
      throw e
    }
  })

  app.post('/elvs/:id/focus-areas/:faId/withdraw', { preHandler: read }, async (req, reply) => {
    const id = elvId(req)
    const fa = faId(req)
    const form = (req.body ?? {}) as Form
    try {
      await focusAreas.withdraw(req.actor!, id, fa, { reason: one(form.reason), version: one(form.version) })
      return reply.flash('focusAreas.withdrawn').redirect(paths.elvTab(id, 'focus-areas'), 303)
    } catch (e) {
      if (isFormError(e)) return page(req, reply, id, e, { ...form, faId: String(fa) })
      throw e
    }
  })
}

/** The text in the reader's language when recorded in it, else in the one it was recorded in. */
function inLanguage(lang: string, en: string | null, cy: string | null): string {
  const mine = lang === 'cy' ? cy : en
  return mine?.trim() ? mine : (lang === 'cy' ? en : cy) ?? ''
}
