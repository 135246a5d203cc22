import { Type, type Static } from '@sinclair/typebox'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { EVIDENCE_KINDS } from '../../db/schema.ts'
import { AppError } from '../../http/errors.ts'
import { errorResponses } from '../../http/api-schemas.ts'
import { pageErrors } from '../../http/form-errors.ts'
import { paths } from '../../http/paths.ts'
import { themeLabel } from '../themes/themes.service.ts'
import { MAX_LIMIT, type SearchHit, type SearchInput } from './search.service.ts'
import { elvOptions, formAsked, formValues, moreHref, resultViews, selectItems } from './search.view.ts'

const TEMPLATE = 'search/views/search.njk'

// Every value is taken as text and checked by the service, so one answer lists every problem at once.
const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ description: 'Words to search for; every one must occur (in the title, the text or a file’s extracted text). Capitals and accents are ignored. Without q, lists what the filters allow.' })),
  elv: Type.Optional(Type.String({ description: 'ELV id' })),
  authority: Type.Optional(Type.String({ description: 'Authority GSS code, e.g. W06000008' })),
  kind: Type.Optional(Type.String({ description: `One of ${EVIDENCE_KINDS.join(', ')}` })),
  theme: Type.Optional(Type.String({ description: 'Theme key; a merged theme’s key finds what is tagged with the theme it became' })),
  focusArea: Type.Optional(Type.String({ description: 'Focus area id' })),
  from: Type.Optional(Type.String({ description: 'Gathered on or after, YYYY-MM-DD' })),
  to: Type.Optional(Type.String({ description: 'Gathered on or before, YYYY-MM-DD' })),
  before: Type.Optional(Type.String({ description: 'The `next` value of the previous page' })),
  limit: Type.Optional(Type.String({ description: `Results per page, 1 to ${MAX_LIMIT} (default 20)` })),
})

const HitJson = Type.Object({
  id: Type.Integer(),
  elvId: Type.Integer(),
  authority: Type.String({ description: 'GSS code' }),
  title: Type.String(),
  kind: Type.Union(EVIDENCE_KINDS.map((k) => Type.Literal(k))),
  gatheredOn: Type.String({ description: 'YYYY-MM-DD' }),
  recordedAt: Type.String({ description: 'When it was first recorded (ISO 8601)' }),
  fromAuthority: Type.Boolean({ description: 'Shared by the authority itself' }),
  snippet: Type.String({ description: 'About 30 words around the first match, plain text (never markup)' }),
  highlights: Type.Array(Type.Object({
    start: Type.Integer({ description: 'Offset in snippet (UTF-16 code units, as JavaScript strings count)' }),
    end: Type.Integer({ description: 'Exclusive' }),
  }), { description: 'Where the query’s words are in snippet' }),
  titleHighlights: Type.Array(Type.Object({ start: Type.Integer(), end: Type.Integer() }), { description: 'Where the query’s words are in title' }),
})
const SearchJson = Type.Object({
  items: Type.Array(HitJson),
  next: Type.Union([Type.Integer(), Type.Null()], { description: 'Pass as `before` for the next page; null on the last page' }),
})

const hitToJson = (h: SearchHit): Static<typeof HitJson> => ({
  id: h.id, elvId: h.elvId, authority: h.authority.code, title: h.title, kind: h.kind, gatheredOn: h.gatheredOn, recordedAt: h.recordedAt,
  fromAuthority: h.fromAuthority, snippet: h.snippet.text, highlights: h.snippet.highlights, titleHighlights: h.titleMarked.highlights,
})

/** The search page and `GET /api/v1/evidence`. */
export function searchRoutes(app: App, services: Services): void {
  const { search, visits, reference, themes, focusAreas } = services
  const read = app.require('visits:read')

  app.get('/api/v1/evidence', {
    schema: {
      tags: ['evidence'],
      summary: 'Search or list the evidence you may see, newest recorded first',
      description: 'Scoped to the caller: an authority user’s token finds only what its authority shared, never inspectors’ notes. ' +
        'Pages by keyset: pass `next` as `before`. Answers 400 with every invalid filter in details.',
      querystring: SearchQuery,
      response: { 200: SearchJson, ...errorResponses },
    },
    preHandler: read,
  }, async (req) => {
    const result = await search.search(req.actor!, req.query as SearchInput)
    return { items: result.items.map(hitToJson), next: result.next }
  })

  app.get(paths.search(), { preHandler: read, config: { pageCache: true } }, async (req, reply) => {
    const actor = req.actor!
    const { t, lang } = req
    const values = formValues(req.query)
    const isAuthority = actor.role === 'la'
    const [elvs, terms, themeList] = await Promise.all([visits.list(actor), reference.listTerms(), themes.list()])
    const options = elvOptions(elvs, terms, t, lang)
    const chosenElv = elvs.find((e) => String(e.id) === values.elv?.trim())
    // Focus areas belong to one visit: offered once a visit is chosen. One left over from another
    // visit (the visit changed, without JavaScript to clear it) is dropped, as the select shows.
    const focusAreaList = chosenElv ? (await focusAreas.list(actor, chosenElv.id)).filter((f) => !f.withdrawn_at) : []
    const input = { ...(req.query as SearchInput) }
    if (!focusAreaList.some((f) => String(f.id) === values.focusArea?.trim())) {
      delete values.focusArea
      delete input.focusArea
    }
    const form = {
      pageTitle: t('search.title'),
      values,
      isAuthority,
      clearHref: paths.search(),
      elvItems: selectItems(options.visits, values.elv, t('search.any.elv')),
      authorityItems: selectItems(options.authorities, values.authority, t('search.any.authority')),
      kindItems: selectItems(EVIDENCE_KINDS.map((k) => ({ value: k, text: t(`evidence.kind.${k}`) })), values.kind, t('search.any.kind')),
      themeItems: selectItems(themeList.map((th) => ({ value: th.key, text: themeLabel(th, lang) })), values.theme, t('search.any.theme')),
      focusAreaItems: chosenElv ? selectItems(focusAreaList.map((f) => ({ value: String(f.id), text: `${f.position}. ${f.title}` })), values.focusArea, t('search.any.focusArea')) : null,
    }
    if (!formAsked(values)) return reply.render(TEMPLATE, { ...form, asked: false })

    let result
    try {
      result = await search.search(actor, input)
    } catch (e) {
      if (e instanceof AppError && e.code === 'validation_failed') return reply.render(TEMPLATE, { ...form, asked: false, errors: pageErrors(e.details, t) }, 400)
      throw e
    }
    const labels = new Map(options.visits.map((v) => [Number(v.value), v.text]))
    return reply.render(TEMPLATE, {
      ...form,
      asked: true,
      noWords: result.criteria.q !== '' && !result.criteria.terms.length,
      q: result.criteria.q,
      results: resultViews(result.items, { t, lang, isAuthority, visitLabel: (id) => labels.get(id) }),
      moreHref: result.next === null ? null : moreHref(values, result.next, (req.query as SearchInput).limit === undefined ? undefined : result.criteria.limit),
    })
  })
}
