import { Type, type Static } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { LINK_NOTE_KINDS } from '../../db/schema.ts'
import { AppError, notFound } from '../../http/errors.ts'
import { isFormError, isId } from '../../http/route-helpers.ts'
import { errorResponses } from '../../http/api-schemas.ts'
import { pageErrors } from '../../http/form-errors.ts'
import { paths } from '../../http/paths.ts'
import { termLabel } from '../visits/visits.view.ts'
import { themeLabel } from '../themes/themes.service.ts'
import { themeItems } from '../themes/themes.view.ts'
import { CURRENT_FRAMEWORK, type LinkNoteView } from './link-notes.service.ts'

/** A posted form: checkboxes chosen more than once arrive as a list. */
type Form = Record<string, string | string[] | undefined>
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)

const LinkNoteJson = Type.Object({
  id: Type.Integer(),
  authority: Type.String(),
  notedOn: Type.String(),
  kind: Type.Union(LINK_NOTE_KINDS.map((k) => Type.Literal(k))),
  title: Type.String(),
  body: Type.String(),
  frameworkAreaCode: Type.Union([Type.String(), Type.Null()]),
  themes: Type.Array(Type.String(), { description: 'Keys of the managed themes (see /api/v1/themes), as they are today: a merged theme gives the theme it was merged into' }),
  author: Type.String(),
  version: Type.Integer(),
})
const toJson = (n: LinkNoteView): Static<typeof LinkNoteJson> => ({
  id: n.id, authority: n.authority_code, notedOn: n.noted_on, kind: n.kind, title: n.title, body: n.body,
  frameworkAreaCode: n.framework_area_code, themes: n.themes.map((t) => t.key), author: n.author_name, version: n.version,
})

const gssOf = (req: FastifyRequest) => (req.params as { gss: string }).gss
const noteIdOf = (req: FastifyRequest) => {
  const n = Number((req.params as { noteId: string }).noteId)
  if (!isId(n)) throw notFound('link note')
  return n
}

export function linkNoteRoutes(app: App, services: Services): void {
  const { linkNotes, visits, reference, themes } = services
  const read = app.require('visits:read')

  app.get('/api/v1/authorities/:gss/link-notes', {
    schema: {
      tags: ['link notes'], summary: 'The link notes of an authority, newest first',
      description: 'For administrators, reviewers and HMIs; 404 for authority users and peer inspectors.',
      params: Type.Object({ gss: Type.String() }), response: { 200: Type.Object({ items: Type.Array(LinkNoteJson) }), ...errorResponses },
    },
    preHandler: read,
  }, async (req) => ({ items: (await linkNotes.list(req.actor!, gssOf(req))).map(toJson) }))

  const areaItems = async (req: FastifyRequest, chosen: string | undefined) => {
    const { areas } = await reference.getFramework(CURRENT_FRAMEWORK)
    return [{ value: '', text: req.t('linkNotes.areaNone') }, ...areas.map((a) => ({
      value: a.code, text: `${a.code} ${req.lang === 'cy' ? a.name_cy : a.name_en}`, selected: a.code === chosen,
    }))]
  }
  const kindItems = (req: FastifyRequest, chosen: string | undefined) =>
    LINK_NOTE_KINDS.map((k) => ({ value: k, text: req.t(`linkNotes.kind.${k}`), checked: k === chosen }))
  const themeChoices = async (req: FastifyRequest, chosen: unknown) => themeItems(await themes.list(), req.lang, chosen)

  const authorityPage = async (req: FastifyRequest, reply: FastifyReply, gss: string, error?: AppError, values: Form = {}) => {
    const actor = req.actor!
    const { authority, linkInspectorName, notes, canKeep } = await linkNotes.page(actor, gss)
    const [elvs, terms, framework] = await Promise.all([visits.list(actor, { authority: gss }), reference.listTerms(), reference.getFramework(CURRENT_FRAMEWORK)])
    const name = req.lang === 'cy' ? authority.name_cy : authority.name_en
    return reply.render('link-notes/views/authority.njk', {
      authority, name, linkInspectorName, canKeep, values,
      elvs: elvs.map((e) => ({
        href: paths.elv(e.id),
        text: req.t('linkNotes.visitLink', { ordinal: req.t(`visits.ordinal.${e.ordinal}`), term: termLabel(e.term_key, terms, req.t), state: req.t(`visits.state.${e.state}`) }),
      })),
      notes: notes.map((n) => {
        const area = framework.areas.find((a) => a.code === n.framework_area_code)
        return {
          ...n,
          kindText: req.t(`linkNotes.kind.${n.kind}`),
          area: area ? `${area.code} ${req.lang === 'cy' ? area.name_cy : area.name_en}` : n.framework_area_code,
          themeLabels: [...n.themes.map((t) => themeLabel(t, req.lang)), ...n.otherThemes],
          editHref: `${paths.authorityPage(gss)}/link-notes/${n.id}`,
        }
      }),
      kinds: kindItems(req, one(values.kind)),
      areas: await areaItems(req, one(values.frameworkAreaCode)),
      themes: await themeChoices(req, values.themes),
      errors: error ? pageErrors(error.details, req.t) : undefined,
    }, error ? error.status : 200)
  }

  app.get('/authorities/:gss', { preHandler: read }, async (req, reply) => authorityPage(req, reply, gssOf(req)))

  app.post('/authorities/:gss/link-notes', { preHandler: read }, async (req, reply) => {
    const gss = gssOf(req)
    const form = (req.body ?? {}) as Form
    try {
      await linkNotes.create(req.actor!, gss, form)
      return reply.flash('linkNotes.created').redirect(paths.authorityPage(gss), 303)
    } catch (e) {
      if (isFormError(e)) return authorityPage(req, reply, gss, e, form)
      throw e
    }
  })

  const editPage = async (req: FastifyRequest, reply: FastifyReply, gss: string, id: number, error?: AppError, values?: Form) => {
    const { authority, canKeep } = await linkNotes.page(req.actor!, gss)
    const note = await linkNotes.get(req.actor!, gss, id)
    if (!canKeep) throw new AppError('forbidden', 'You do not have permission to do that.')
    const v: Form = values ?? {
      notedOn: note.noted_on, kind: note.kind, title: note.title, body: note.body, frameworkAreaCode: note.framework_area_code ?? '',
      themes: note.themes.map((t) => t.key), version: String(note.version),
    }
    return reply.render('link-notes/views/edit.njk', {
      authority, name: req.lang === 'cy' ? authority.name_cy : authority.name_en, note, values: v,
      back: paths.authorityPage(gss),
      kinds: kindItems(req, one(v.kind)),
      areas: await areaItems(req, one(v.frameworkAreaCode)),
      themes: await themeChoices(req, v.themes),
      // Words from before themes were managed: saving keeps only the themes ticked, so say which will go.
      otherThemes: note.otherThemes.join(', '),
      errors: error ? pageErrors(error.details, req.t) : undefined,
    }, error ? error.status : 200)
  }

  app.get('/authorities/:gss/link-notes/:noteId', { preHandler: read }, async (req, reply) => editPage(req, reply, gssOf(req), noteIdOf(req)))

  app.post('/authorities/:gss/link-notes/:noteId', { preHandler: read }, async (req, reply) => {
    const gss = gssOf(req)
    const id = noteIdOf(req)
    const form = (req.body ?? {}) as Form
    try {
      await linkNotes.update(req.actor!, gss, id, form)
      return reply.flash('linkNotes.updated').redirect(paths.authorityPage(gss), 303)
    } catch (e) {
      if (isFormError(e)) return editPage(req, reply, gss, id, e, form)
      throw e
    }
  })
}
