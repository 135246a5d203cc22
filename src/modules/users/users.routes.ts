import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import type { AppUser } from '../../db/schema.ts'
import { AppError, notFound } from '../../http/errors.ts'
import { pageErrors } from '../../http/form-errors.ts'
import { paths } from '../../http/paths.ts'
import { isId } from '../../http/route-helpers.ts'
import { inspectorFormValues, inspectorTermItems } from '../planning/rules.view.ts'
import {
  authorityItems, readListFilter, roleFilterItems, roleRadioItems, storedValues, typedValues,
  userSummaryRows, userTableRows, type UserFormValues,
} from './users.view.ts'

type Form = Record<string, unknown>
interface IdParams { id: string }

// Route patterns built from the same helpers the templates use for links.
const USER = `${paths.users()}/:id`
const RESET_PASSWORD = `${USER}/reset-password`
const PLANNING = `${USER}/planning`

/** A user id from the URL; anything but a plain positive whole number is a page that does not exist. */
function parseId(raw: string): number {
  const id = /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : NaN
  if (!isId(id)) throw notFound('user')
  return id
}

/** Errors a form can show next to its fields; anything else goes to the error pages. */
const isFormError = (e: unknown): e is AppError =>
  e instanceof AppError && (e.code === 'validation_failed' || e.code === 'version_conflict') && e.details.length > 0

// Pages that show a password must not stay in a browser's or proxy's cache.
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store')

export function userRoutes(app: App, { users, reference, programme }: Services): void {
  const guard = { preHandler: app.require('admin:users') }

  app.get<{ Querystring: Form }>(paths.users(), guard, async (req, reply) => {
    const authorities = await reference.listAuthorities()
    const filter = readListFilter(req.query ?? {}, authorities)
    const found = await users.list({
      q: filter.q || undefined, role: filter.role || undefined,
      authorityCode: filter.authority || undefined, includeDisabled: filter.disabled,
    })
    return reply.render('users/views/list.njk', {
      paths,
      filter,
      roleItems: roleFilterItems(req.t),
      authorityItems: authorityItems(authorities, req.lang, req.t('users.filter.anyAuthority')),
      rows: userTableRows(found, authorities, req.lang, req.t),
      count: found.length,
    })
  })

  async function renderNewForm(req: FastifyRequest, reply: FastifyReply, values: UserFormValues, error?: AppError) {
    const authorities = await reference.listAuthorities()
    return reply.render('users/views/new.njk', {
      paths,
      values,
      roleItems: roleRadioItems(req.t),
      authorityItems: authorityItems(authorities, req.lang, ''),
      errors: error ? pageErrors(error.details, req.t) : undefined,
    }, error ? error.status : 200)
  }

  app.get(paths.newUser(), guard, async (req, reply) => renderNewForm(req, reply, {}))

  app.post<{ Body: Form }>(paths.newUser(), guard, async (req, reply) => {
    const body = req.body ?? {}
    try {
      const { user, password: generated } = await users.create(req.actor!, {
        email: body.email, name: body.name, role: body.role, authorityCode: body.authorityCode, password: body.password,
      })
      if (generated !== null) {
        // The generated password exists only in this response: it is shown once and never stored.
        return noStore(reply).render('users/views/created.njk', { paths, user, password: generated })
      }
      return reply.flash('users.flash.created', { email: user.email }).redirect(paths.user(user.id), 303)
    } catch (e) {
      if (isFormError(e)) return renderNewForm(req, reply, typedValues(body), e)
      throw e
    }
  })

  /** An inspector's planning facts, as saved or as just typed; nothing for other roles. */
  async function planningSection(req: FastifyRequest, user: AppUser, typed?: Form, error?: AppError) {
    if (user.role !== 'hmi' && user.role !== 'peer') return undefined
    const facts = await programme.inspectorFacts(user.id)
    const values = typed ?? inspectorFormValues(facts)
    const errors = error ? pageErrors(error.details, req.t) : undefined
    return { values, ...inspectorTermItems(facts, values, errors, req.t, req.lang), action: paths.userPlanning(user.id) }
  }

  async function renderUser(req: FastifyRequest, reply: FastifyReply, user: AppUser, values: UserFormValues, error?: AppError, planning?: Form) {
    const authorities = await reference.listAuthorities()
    return reply.render('users/views/user.njk', {
      paths,
      user,
      values,
      summaryRows: userSummaryRows(user, authorities, req.lang, req.t),
      roleItems: roleRadioItems(req.t),
      authorityItems: authorityItems(authorities, req.lang, ''),
      isSelf: req.actor?.id === user.id,
      planning: await planningSection(req, user, planning, planning ? error : undefined),
      errors: error ? pageErrors(error.details, req.t) : undefined,
    }, error ? error.status : 200)
  }

  app.get<{ Params: IdParams }>(USER, guard, async (req, reply) => {
    const user = await users.get(parseId(req.params.id))
    return renderUser(req, reply, user, storedValues(user))
  })

  app.post<{ Params: IdParams; Body: Form }>(USER, guard, async (req, reply) => {
    const user = await users.get(parseId(req.params.id))
    const body = req.body ?? {}
    try {
      const saved = await users.update(req.actor!, user.id, {
        name: body.name, role: body.role, authorityCode: body.authorityCode, disabled: body.disabled, version: body.version,
      })
      return reply.flash('users.flash.saved', { name: saved.name }).redirect(paths.user(saved.id), 303)
    } catch (e) {
      if (!isFormError(e)) throw e
      if (e.details.some((d) => d.path === 'version' && d.messageKey === 'validation.staleVersion')) {
        // Someone saved first: show what they saved, with its version, so saving again is a deliberate choice.
        const current = await users.get(user.id)
        return renderUser(req, reply, current, storedValues(current), e)
      }
      return renderUser(req, reply, user, typedValues(body), e)
    }
  })

  app.post<{ Params: IdParams; Body: Form }>(PLANNING, guard, async (req, reply) => {
    const user = await users.get(parseId(req.params.id))
    const body = req.body ?? {}
    // Each term's reason comes as `reason.<term key>`.
    const reasons = Object.fromEntries(Object.entries(body).filter(([k]) => k.startsWith('reason.')).map(([k, v]) => [k.slice('reason.'.length), v]))
    try {
      await programme.saveInspectorFacts(req.actor!, user.id, {
        welshSpeaker: body.welshSpeaker, maxElvsPerTerm: body.maxElvsPerTerm, unavailable: body.unavailable, reasons, version: body.version,
      })
      return reply.flash('planning.inspector.flash.saved', { name: user.name }).redirect(paths.user(user.id), 303)
    } catch (e) {
      if (!isFormError(e)) throw e
      if (e.code === 'version_conflict') {
        // Someone saved first: show what they saved, with its version, so saving again is a deliberate choice.
        const current = await users.get(user.id)
        const facts = await programme.inspectorFacts(user.id)
        return renderUser(req, reply, current, storedValues(current), e, inspectorFormValues(facts))
      }
      return renderUser(req, reply, user, storedValues(user), e, body)
    }
  })

  app.post<{ Params: IdParams }>(RESET_PASSWORD, guard, async (req, reply) => {
    const user = await users.get(parseId(req.params.id))
    const password = await users.resetPassword(req.actor!, user.id)
    return noStore(reply).render('users/views/password-reset.njk', { paths, user, password })
  })
}
