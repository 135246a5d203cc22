import { Type, type Static } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { ATTENDEE_KINDS } from '../../db/schema.ts'
import { errorResponses } from '../../http/api-schemas.ts'
import { AppError } from '../../http/errors.ts'
import { isFormError, isId } from '../../http/route-helpers.ts'
import { pageErrors } from '../../http/form-errors.ts'
import { paths } from '../../http/paths.ts'
import { ElvParams, type ElvParamsT } from '../visits/visits.api.ts'
import { authorityName, elvTabs } from '../visits/visits.view.ts'
import type { MeetingView } from './timetable.service.ts'
import type { Overlap } from './timetable.rules.ts'
import { ATTENDEE_ROWS, attendeeText, formErrorPaths, meetingFormInput, overlapText, overlapToJson, timetableIcs, type Form } from './timetable.view.ts'

// ---- API shapes -------------------------------------------------------------------------------

const MeetingParams = Type.Object({ id: Type.Integer({ minimum: 1 }), meetingId: Type.Integer({ minimum: 1 }) })
type MeetingParamsT = Static<typeof MeetingParams>

const AttendeeBody = Type.Object({
  name: Type.Optional(Type.String()),
  role: Type.Optional(Type.String()),
  kind: Type.Optional(Type.String({ description: ATTENDEE_KINDS.join(', ') })),
})

// Fields are optional here so the service can name every missing or wrong one at once, by its own name.
const MeetingBody = Type.Object({
  day: Type.Optional(Type.Integer({ description: '1 or 2: the first or second visit day' })),
  start: Type.Optional(Type.String({ description: 'HH:MM, from 07:00' })),
  end: Type.Optional(Type.String({ description: 'HH:MM, after start and by 20:00' })),
  title: Type.Optional(Type.String({ description: 'Up to 150 characters' })),
  place: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  videoLink: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'An https:// address' })),
  attendees: Type.Optional(Type.Array(AttendeeBody)),
  inspectors: Type.Optional(Type.Array(Type.Union([Type.String(), Type.Integer()]), { description: 'E-mail addresses (or user ids) of members of the ELV team' })),
  focusAreaIds: Type.Optional(Type.Array(Type.Integer(), { description: 'Focus areas of this ELV the meeting serves' })),
  version: Type.Optional(Type.Integer({ minimum: 1, description: 'On POST: the ELV version, refused with 409 when it has changed. On PUT: the meeting version, required.' })),
})

const MeetingJson = Type.Object({
  id: Type.Integer(),
  elvId: Type.Integer(),
  day: Type.Integer(),
  start: Type.String(),
  end: Type.String(),
  title: Type.String(),
  place: Type.Union([Type.String(), Type.Null()]),
  videoLink: Type.Union([Type.String(), Type.Null()]),
  attendees: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), role: Type.String(), kind: Type.String(), suggestedByAuthority: Type.Boolean() })),
  inspectors: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), email: Type.String() })),
  focusAreas: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String() })),
  version: Type.Integer(),
})

const WarningJson = Type.Object({
  code: Type.String({ description: 'inspector_overlap: one inspector in two meetings at once' }),
  day: Type.Integer(),
  inspector: Type.Object({ id: Type.Integer(), name: Type.String() }),
  meetingIds: Type.Array(Type.Integer()),
  message: Type.String(),
})

const MeetingWithWarnings = Type.Object({ ...MeetingJson.properties, warnings: Type.Array(WarningJson) })
const DeleteQuery = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) })

// ---- page helpers -----------------------------------------------------------------------------

const idOf = (req: FastifyRequest, key = 'id') => {
  const id = Number((req.params as Record<string, string>)[key])
  if (!isId(id)) throw new AppError('not_found', 'No such visit.')
  return id
}

const ICS_TYPE = 'text/calendar; charset=utf-8'

export function timetableRoutes(app: App, services: Services): void {
  const { timetable, i18n, clock } = services
  const read = app.require('visits:read')
  const english = i18n.translator('en')
  const withWarnings = (r: { meeting: MeetingView; warnings: Overlap[] }) =>
    ({ ...r.meeting, warnings: r.warnings.map((w) => overlapToJson(w, english)) })

  // ---- API --------------------------------------------------------------------------------------

  app.get('/api/v1/elvs/:id/meetings', {
    schema: {
      tags: ['timetable'], summary: 'The meetings of an ELV, with overlap warnings', params: ElvParams,
      response: { 200: Type.Object({ items: Type.Array(MeetingJson), warnings: Type.Array(WarningJson) }), ...errorResponses },
    },
    preHandler: read,
  }, async (req) => {
    const { meetings, overlaps } = await timetable.list(req.actor!, (req.params as ElvParamsT).id)
    return { items: meetings, warnings: overlaps.map((o) => overlapToJson(o, english)) }
  })

  app.post('/api/v1/elvs/:id/meetings', {
    schema: {
      tags: ['timetable'], summary: 'Add a meeting to the timetable',
      description: 'An inspector in two meetings at once is not refused: the answer lists it in "warnings".',
      params: ElvParams, body: MeetingBody, response: { 201: MeetingWithWarnings, ...errorResponses },
    },
    preHandler: read,
  }, async (req, reply) => reply.code(201).send(withWarnings(await timetable.addMeeting(req.actor!, (req.params as ElvParamsT).id, req.body as Static<typeof MeetingBody>))))

  app.put('/api/v1/elvs/:id/meetings/:meetingId', {
    schema: {
      tags: ['timetable'], summary: 'Change a meeting (send its version)', params: MeetingParams, body: MeetingBody,
      response: { 200: MeetingWithWarnings, ...errorResponses },
    },
    preHandler: read,
  }, async (req) => {
    const p = req.params as MeetingParamsT
    return withWarnings(await timetable.updateMeeting(req.actor!, p.id, p.meetingId, req.body as Static<typeof MeetingBody>))
  })

  app.delete('/api/v1/elvs/:id/meetings/:meetingId', {
    schema: { tags: ['timetable'], summary: 'Remove a meeting', params: MeetingParams, querystring: DeleteQuery, response: { 204: Type.Null(), ...errorResponses } },
    preHandler: read,
  }, async (req, reply) => {
    const p = req.params as MeetingParamsT
    await timetable.deleteMeeting(req.actor!, p.id, p.meetingId, req.query as Static<typeof DeleteQuery>)
    return reply.code(204).send()
  })

  app.post('/api/v1/elvs/:id/meetings/:meetingId/attendees', {
    schema: {
      tags: ['timetable'], summary: 'Suggest an attendee (authority users)', params: MeetingParams, body: AttendeeBody,
      response: { 201: MeetingJson, ...errorResponses },
    },
    preHandler: read,
  }, async (req, reply) => {
    const p = req.params as MeetingParamsT
    return reply.code(201).send(await timetable.suggestAttendee(req.actor!, p.id, p.meetingId, req.body as Static<typeof AttendeeBody>))
  })

  const sendIcs = async (req: FastifyRequest, reply: FastifyReply, id: number) => {
    const { elv, meetings } = await timetable.calendar(req.actor!, id)
    const text = timetableIcs(elv, meetings, req.t, req.lang, clock.now())
    return reply.type(ICS_TYPE).header('content-disposition', `attachment; filename="elv-${id}-timetable.ics"`).send(text)
  }

  app.get('/api/v1/elvs/:id/timetable.ics', {
    schema: {
      tags: ['timetable'], summary: 'The timetable as an iCalendar file (text/calendar)',
      description: 'Answers 409 rule_violation until both visit days are set.',
      params: ElvParams, response: errorResponses,
    },
    preHandler: read,
  }, async (req, reply) => sendIcs(req, reply, (req.params as ElvParamsT).id))

  // ---- pages ------------------------------------------------------------------------------------

  app.get('/elvs/:id/timetable.ics', { preHandler: read }, async (req, reply) => sendIcs(req, reply, idOf(req)))

  /** The page, optionally re-rendered with a form's problems: `forMeeting` says which suggestion form failed. */
  const page = async (req: FastifyRequest, reply: FastifyReply, id: number, failed?: { error: AppError; values: Form; rowOf?: number[]; forMeeting?: number }) => {
    const t = req.t
    const tt = await timetable.timetable(req.actor!, id)
    const canWork = await services.visits.canWork(req.actor!, tt.elv)
    const isAuthority = req.actor?.role === 'la'
    const addValues: Form = failed && failed.forMeeting === undefined ? failed.values : {}
    const suggestValues: Form = failed?.forMeeting !== undefined ? failed.values : {}
    const details = failed
      ? failed.forMeeting === undefined ? formErrorPaths(failed.error.details, failed.rowOf ?? []) : formErrorPaths(failed.error.details, [], `suggest-${failed.forMeeting}-`)
      : []
    const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v])
    const kindItems = (selected: string | string[] | undefined) =>
      ATTENDEE_KINDS.map((k) => ({ value: k, text: t(`timetable.kind.${k}`), selected: k === (selected ?? 'officer') }))
    const days = ([1, 2] as const).map((day) => ({
      day,
      date: day === 1 ? tt.elv.visit_day1 : tt.elv.visit_day2,
      meetings: tt.meetings.filter((m) => m.day === day).map((m) => ({
        ...m,
        attendeeLines: m.attendees.map((a) => ({ text: attendeeText(a, t), suggested: a.suggestedByAuthority })),
        inspectorNames: m.inspectors.map((i) => i.name).join(', '),
        focusAreaTitles: m.focusAreas.map((f) => f.title),
        suggestValues: failed?.forMeeting === m.id ? suggestValues : {},
        suggestKinds: kindItems(failed?.forMeeting === m.id ? suggestValues.kind : undefined),
      })),
    }))
    return reply.render('timetable/views/timetable.njk', {
      elv: tt.elv,
      title: t('visits.title', { authority: authorityName(tt.elv, req.lang), ordinal: t(`visits.ordinal.${tt.elv.ordinal}`) }),
      tabs: elvTabs(id, 'timetable', t),
      days,
      overlaps: tt.overlaps.map((o) => overlapText(o, t)),
      canWork,
      isAuthority,
      daysSet: Boolean(tt.elv.visit_day1 && tt.elv.visit_day2),
      icsHref: `${paths.elvTab(id, 'timetable')}.ics`,
      values: addValues,
      dayItems: [1, 2].map((d) => ({ value: String(d), text: t('timetable.dayN', { day: d }), checked: addValues.day === String(d) })),
      attendeeRows: Array.from({ length: ATTENDEE_ROWS }, (_, i) => {
        const row = i + 1
        return { row, name: addValues[`attendee-${row}-name`], role: addValues[`attendee-${row}-role`], kinds: kindItems(addValues[`attendee-${row}-kind`]) }
      }),
      inspectorItems: tt.team.map((m) => ({ value: String(m.id), text: m.name, checked: asList(addValues.inspectors).includes(String(m.id)) })),
      focusAreaItems: tt.focusAreas.map((f) => ({ value: String(f.id), text: f.title, checked: asList(addValues.focusAreaIds).includes(String(f.id)) })),
      errors: failed ? pageErrors(details, t) : undefined,
    }, failed ? failed.error.status : 200)
  }

  app.get('/elvs/:id/timetable', { preHandler: read }, async (req, reply) => page(req, reply, idOf(req)))

  app.post('/elvs/:id/timetable/meetings', { preHandler: read }, async (req, reply) => {
    const id = idOf(req)
    const form = (req.body ?? {}) as Form
    const { input, rowOf } = meetingFormInput(form)
    try {
      await timetable.addMeeting(req.actor!, id, input)
      return reply.flash('timetable.added').redirect(paths.elvTab(id, 'timetable'), 303)
    } catch (e) {
      if (isFormError(e)) return page(req, reply, id, { error: e, values: form, rowOf })
      throw e
    }
  })

  app.post('/elvs/:id/timetable/meetings/:meetingId/delete', { preHandler: read }, async (req, reply) => {
    const id = idOf(req)
    const meetingId = idOf(req, 'meetingId')
    const form = (req.body ?? {}) as Form
    try {
      await timetable.deleteMeeting(req.actor!, id, meetingId, { version: form.version })
      return reply.flash('timetable.deleted').redirect(paths.elvTab(id, 'timetable'), 303)
    } catch (e) {
      if (isFormError(e)) return page(req, reply, id, { error: e, values: {} })
      throw e
    }
  })

  app.post('/elvs/:id/timetable/meetings/:meetingId/suggest', { preHandler: read }, async (req, reply) => {
    const id = idOf(req)
    const meetingId = idOf(req, 'meetingId')
    const form = (req.body ?? {}) as Form
    try {
      await timetable.suggestAttendee(req.actor!, id, meetingId, { name: form.name, role: form.role, kind: form.kind })
      return reply.flash('timetable.suggested').redirect(paths.elvTab(id, 'timetable'), 303)
    } catch (e) {
      if (isFormError(e)) return page(req, reply, id, { error: e, values: form, forMeeting: meetingId })
      throw e
    }
  })
}
