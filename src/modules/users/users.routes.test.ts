import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { PASSWORD, useTestApp, type Browser } from '../../../test/helpers/test-app.ts'
import type { AppUser } from '../../db/schema.ts'
import { systemActor } from '../auth/actor.ts'

const CARDIFF = 'W06000015'
const CEREDIGION = 'W06000008'
// generatePassword(): four groups of five from an alphabet without 0, 1, O, I or l.
const GENERATED = /\b([A-HJ-NP-Za-km-z2-9]{5}(?:-[A-HJ-NP-Za-km-z2-9]{5}){3})\b/

let counter = 0
const uniqueEmail = (stem: string) => `${stem}.${++counter}.${process.pid}@example.gov.wales`

function passwordIn(html: string): string {
  const m = GENERATED.exec(html)
  if (!m?.[1]) throw new Error('no generated password on the page')
  return m[1]
}

/** The edit form as the page would post it, with the version shown on the page. */
function editForm(user: AppUser, changes: Record<string, string> = {}): Record<string, string> {
  return {
    name: user.name, role: user.role, authorityCode: user.authority_code ?? '', version: String(user.version), ...changes,
  }
}

for (const engine of testEngines()) {
  describe(`user administration on ${engine.name}`, () => {
    const ctx = useTestApp(engine)
    const admin = async (): Promise<Browser> => (await ctx.signedIn('admin')).browser

    it('lists users and filters them by role, authority, text and status', async () => {
      const browser = await admin()
      const tag = `F${process.pid}x${++counter}`
      const peer = await ctx.make.user('peer', { authority: CARDIFF, name: `${tag} Peer Person` })
      const la = await ctx.make.user('la', { authority: CEREDIGION, name: `${tag} Authority Person` })
      const hmi = await ctx.make.user('hmi', { name: `${tag} Inspector Person` })
      const gone = await ctx.make.user('hmi', { name: `${tag} Gone Person` })
      await ctx.services.users.disableByEmail(systemActor('test'), gone.email)

      const all = await browser.get(`/admin/users?q=${tag}`)
      expect(all.statusCode).toBe(200)
      expect(all.body).toContain('<h1 class="govuk-heading-l">Users</h1>')
      expect(all.body).toContain('<caption class="govuk-table__caption govuk-table__caption--m">3 accounts</caption>')
      expect(all.body).toContain(`href="/admin/users/${peer.id}">${tag} Peer Person</a>`)
      expect(all.body).toContain(peer.email)
      expect(all.body).toContain('Cardiff')
      expect(all.body).toContain('Peer inspector')
      expect(all.body).toContain('Active')
      expect(all.body).not.toContain('Gone Person')
      expect(all.body).toContain('href="/admin/users/new"')
      expect(all.body).toContain('Create a user')

      const byRole = await browser.get(`/admin/users?q=${tag}&role=peer`)
      expect(byRole.body).toContain('Peer Person')
      expect(byRole.body).not.toContain('Authority Person')
      expect(byRole.body).not.toContain('Inspector Person')
      expect(byRole.body).toMatch(/<option value="peer" selected>/)

      const byAuthority = await browser.get(`/admin/users?q=${tag}&authority=${CEREDIGION}`)
      expect(byAuthority.body).toContain('Authority Person')
      expect(byAuthority.body).not.toContain('Peer Person')
      expect(byAuthority.body).toMatch(new RegExp(`<option value="${CEREDIGION}" selected>`))

      const byEmail = await browser.get(`/admin/users?q=${encodeURIComponent(hmi.email.slice(0, 8))}`)
      expect(byEmail.body).toContain('Inspector Person')
      expect(byEmail.body).not.toContain(la.email)

      const withDisabled = await browser.get(`/admin/users?q=${tag}&disabled=yes`)
      expect(withDisabled.body).toContain('Gone Person')
      expect(withDisabled.body).toContain('Disabled')
      expect(withDisabled.body).toContain('4 accounts')

      const none = await browser.get('/admin/users?q=nobody-has-this-name')
      expect(none.body).toContain('No accounts match these filters.')
    })

    it('shows authority names and roles in Welsh to a Welsh reader', async () => {
      const browser = await admin()
      const tag = `W${process.pid}x${++counter}`
      await ctx.make.user('la', { authority: CARDIFF, name: `${tag} Welsh` })
      const page = await browser.get(`/admin/users?q=${tag}`, { 'accept-language': 'cy' })
      expect(page.body).toContain('Defnyddwyr')
      expect(page.body).toContain('<td class="govuk-table__cell">Caerdydd</td>')
      expect(page.body).toContain('<option value="W06000001">Ynys Môn</option>')
      expect(page.body).toContain('1 cyfrif')
    })

    it('creates a user with a generated password, shows it once, and it signs them in', async () => {
      const browser = await admin()
      const email = uniqueEmail('generated')
      const res = await browser.post('/admin/users/new', { email, name: 'Gwen Generated', role: 'peer', authorityCode: CARDIFF, password: '' })
      expect(res.statusCode).toBe(200)
      expect(res.headers['cache-control']).toBe('no-store')
      expect(res.body).toContain('govuk-panel')
      expect(res.body).toContain('Account created')
      expect(res.body).toContain(email)
      expect(res.body).toContain('govuk-warning-text')
      const password = passwordIn(res.body)
      const user = await ctx.services.users.byEmail(email)
      expect(user).toMatchObject({ name: 'Gwen Generated', role: 'peer', authority_code: CARDIFF, disabled: 0 })
      expect(res.body).toContain(`href="/admin/users/${user!.id}"`)

      // Once: neither the user's page nor the audit log holds it.
      const page = await browser.get(`/admin/users/${user!.id}`)
      expect(page.body).not.toContain(password)
      const audit = await ctx.services.audit.list({ action: 'user.create', entityId: String(user!.id) }, { limit: 5, offset: 0 })
      expect(audit.items).toHaveLength(1)
      expect(audit.items[0]!.details).not.toContain(password)

      const theirs = ctx.browser()
      expect((await theirs.signIn(email, password)).statusCode).toBe(303)
      expect((await theirs.get('/')).body).toContain('Welcome, Gwen Generated')
    })

    it('creates a user with a typed password and redirects to their page with a message', async () => {
      const browser = await admin()
      const email = uniqueEmail('typed')
      const res = await browser.post('/admin/users/new', { email: email.toUpperCase(), name: 'Tomos Typed', role: 'hmi', authorityCode: '', password: 'typed-password-123' })
      expect(res.statusCode).toBe(303)
      const user = await ctx.services.users.byEmail(email)
      expect(res.headers.location).toBe(`/admin/users/${user!.id}`)
      const page = await browser.get(res.headers.location as string)
      expect(page.body).toContain(`Account created for ${email}`)
      expect(page.body).toContain('Tomos Typed')
      // The banner is one-off.
      expect((await browser.get(res.headers.location as string)).body).not.toContain('Account created for')
      expect((await ctx.browser().signIn(email, 'typed-password-123')).statusCode).toBe(303)
    })

    it('re-renders the form with every problem and the input kept, and creates nothing', async () => {
      const browser = await admin()
      const existing = await ctx.make.user('hmi')
      const cases: Array<{ form: Record<string, string>; message: string; kept: string[] }> = [
        { form: { email: '', name: 'Missing Email', role: 'hmi' }, message: 'Enter the e-mail address', kept: ['value="Missing Email"', 'value="hmi" checked'] },
        { form: { email: 'not-an-address', name: 'Bad Email', role: 'reviewer' }, message: 'Enter the e-mail address in the correct format', kept: ['value="not-an-address"', 'value="Bad Email"', 'value="reviewer" checked'] },
        { form: { email: existing.email, name: 'Duplicate Email', role: 'hmi' }, message: 'A user with that e-mail address already exists', kept: [`value="${existing.email}"`, 'value="Duplicate Email"'] },
        { form: { email: uniqueEmail('nopeer'), name: 'Peer Without', role: 'peer', authorityCode: '' }, message: 'Select the local authority: peer inspectors and local authority users need one', kept: ['value="Peer Without"', 'value="peer" checked'] },
        { form: { email: uniqueEmail('unknown'), name: 'Unknown Authority', role: 'la', authorityCode: 'W06999999' }, message: 'There is no local authority with the code W06999999', kept: ['value="Unknown Authority"', 'value="la" checked'] },
        { form: { email: uniqueEmail('short'), name: 'Short Password', role: 'la', authorityCode: CARDIFF, password: 'tooshort' }, message: 'The password must be 12 characters or more', kept: ['value="Short Password"', `value="${CARDIFF}" selected`] },
      ]
      for (const { form, message, kept } of cases) {
        const res = await browser.post('/admin/users/new', { password: '', authorityCode: '', ...form })
        expect(res.statusCode, message).toBe(400)
        expect(res.body).toContain('govuk-error-summary')
        expect(res.body).toContain('<title>Error: Create a user – Cyswllt</title>')
        expect(res.body).toContain(message)
        for (const k of kept) expect(res.body, `${message}: ${k}`).toContain(k)
        expect(res.body).toContain('Create user')
        if (form.password) expect(res.body).not.toContain(form.password)
      }
      expect(await ctx.services.users.byEmail('not-an-address')).toBeUndefined()
      const missingAll = await browser.post('/admin/users/new', { email: '', name: '', role: '', authorityCode: '', password: '' })
      expect(missingAll.statusCode).toBe(400)
      for (const text of ['Enter the e-mail address', 'Enter the full name', 'Select a role']) expect(missingAll.body).toContain(text)
      expect(missingAll.body).toContain('href="#email"')
      expect(missingAll.body).toContain('href="#role"')
    })

    it('changes a role, records it in the audit log, and ends the user’s sessions', async () => {
      const browser = await admin()
      const { user, browser: theirs } = await ctx.signedIn('hmi')
      const res = await browser.post(`/admin/users/${user.id}`, editForm(user, { role: 'reviewer' }))
      expect(res.statusCode).toBe(303)
      expect(res.headers.location).toBe(`/admin/users/${user.id}`)
      const page = await browser.get(`/admin/users/${user.id}`)
      expect(page.body).toContain(`Changes to the account of ${user.name} saved`)
      expect(page.body).toMatch(/<dd class="govuk-summary-list__value">\s*Reviewer\s*<\/dd>/)
      expect(await ctx.services.users.get(user.id)).toMatchObject({ role: 'reviewer', version: user.version + 1 })
      const audit = await ctx.services.audit.list({ action: 'user.update', entityId: String(user.id) }, { limit: 5, offset: 0 })
      expect(audit.items).toHaveLength(1)
      expect(JSON.parse(audit.items[0]!.details)).toMatchObject({ before: { role: 'hmi' }, after: { role: 'reviewer' } })
      expect((await theirs.get('/')).statusCode).toBe(302)
    })

    it('disables an account: the user is signed out and cannot sign in, until enabled again', async () => {
      const browser = await admin()
      const { user, browser: theirs } = await ctx.signedIn('la', { authority: CARDIFF })
      expect((await theirs.get('/')).statusCode).toBe(200)
      const res = await browser.post(`/admin/users/${user.id}`, editForm(user, { disabled: 'yes' }))
      expect(res.statusCode).toBe(303)
      const after = await theirs.get('/')
      expect(after.statusCode).toBe(302)
      expect(after.headers.location).toMatch(/^\/sign-in/)
      expect((await ctx.browser().signIn(user.email, PASSWORD)).statusCode).toBe(401)
      const page = await browser.get(`/admin/users/${user.id}`)
      expect(page.body).toContain('Disabled')
      expect(page.body).toMatch(/name="disabled" type="checkbox" value="yes" checked/)

      const disabled = await ctx.services.users.get(user.id)
      expect((await browser.post(`/admin/users/${user.id}`, editForm(disabled))).statusCode).toBe(303)
      expect((await ctx.browser().signIn(user.email, PASSWORD)).statusCode).toBe(303)
    })

    it('keeps the typed input when an edit is invalid', async () => {
      const browser = await admin()
      const user = await ctx.make.user('hmi')
      const res = await browser.post(`/admin/users/${user.id}`, editForm(user, { name: 'Renamed Person', role: 'peer', authorityCode: '' }))
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('govuk-error-summary')
      expect(res.body).toContain('Select the local authority')
      expect(res.body).toContain('value="Renamed Person"')
      expect(res.body).toContain('value="peer" checked')
      expect(await ctx.services.users.get(user.id)).toMatchObject({ name: user.name, role: 'hmi', version: user.version })
    })

    it('refuses to let an admin disable or demote themselves', async () => {
      const { browser, user } = await ctx.signedIn('admin')
      const demote = await browser.post(`/admin/users/${user.id}`, editForm(user, { role: 'hmi' }))
      expect(demote.statusCode).toBe(400)
      expect(demote.body).toContain('You cannot remove your own administrator role')
      const disable = await browser.post(`/admin/users/${user.id}`, editForm(user, { disabled: 'yes' }))
      expect(disable.statusCode).toBe(400)
      expect(disable.body).toContain('href="#disabled"')
      expect(await ctx.services.users.get(user.id)).toMatchObject({ role: 'admin', disabled: 0 })
      expect((await browser.get('/admin/users')).statusCode).toBe(200)
    })

    it('shows a conflict, with the newer values, when someone else saved first', async () => {
      const first = await admin()
      const second = await admin()
      const user = await ctx.make.user('hmi')
      // Both open the page at the same version; the first save wins.
      expect((await first.post(`/admin/users/${user.id}`, editForm(user, { name: 'First Save' }))).statusCode).toBe(303)
      const stale = await second.post(`/admin/users/${user.id}`, editForm(user, { name: 'Second Save' }))
      expect(stale.statusCode).toBe(409)
      expect(stale.body).toContain('govuk-error-summary')
      expect(stale.body).toContain('Someone else changed this record after you opened it')
      expect(stale.body).toContain('value="First Save"')
      expect(stale.body).not.toContain('value="Second Save"')
      expect(stale.body).toContain(`name="version" value="${user.version + 1}"`)
      expect((await ctx.services.users.get(user.id)).name).toBe('First Save')
    })

    it('resets a password: the new one works once shown, the old one fails, sessions end', async () => {
      const browser = await admin()
      const { user, browser: theirs } = await ctx.signedIn('peer', { authority: CEREDIGION })
      const page = await browser.get(`/admin/users/${user.id}`)
      expect(page.body).toContain(`action="/admin/users/${user.id}/reset-password"`)
      expect(page.body).toContain('Reset password')
      const res = await browser.post(`/admin/users/${user.id}/reset-password`, {}, { from: `/admin/users/${user.id}` })
      expect(res.statusCode).toBe(200)
      expect(res.headers['cache-control']).toBe('no-store')
      expect(res.body).toContain('govuk-panel')
      expect(res.body).toContain('govuk-warning-text')
      const password = passwordIn(res.body)
      expect((await theirs.get('/')).statusCode).toBe(302)
      expect((await ctx.browser().signIn(user.email, PASSWORD)).statusCode).toBe(401)
      expect((await ctx.browser().signIn(user.email, password)).statusCode).toBe(303)
      const audit = await ctx.services.audit.list({ action: 'user.reset_password', entityId: String(user.id) }, { limit: 5, offset: 0 })
      expect(audit.items).toHaveLength(1)
      expect(audit.items[0]!.details).not.toContain(password)
    })

    for (const role of ['hmi', 'la'] as const) {
      it(`refuses every users page to an ${role} user`, async () => {
        const { browser } = await ctx.signedIn(role, role === 'la' ? { authority: CARDIFF } : {})
        const target = await ctx.make.user('reviewer')
        for (const url of ['/admin/users', '/admin/users?role=admin', '/admin/users/new', `/admin/users/${target.id}`]) {
          const res = await browser.get(url)
          expect(res.statusCode, url).toBe(403)
          expect(res.body).not.toContain(target.email)
        }
        const sneaky = uniqueEmail('sneaky')
        const posts: Array<[string, Record<string, string>]> = [
          ['/admin/users/new', { email: sneaky, name: 'Sneaky', role: 'admin', password: 'sneaky-password-1' }],
          [`/admin/users/${target.id}`, editForm(target, { role: 'admin' })],
          [`/admin/users/${target.id}/reset-password`, {}],
        ]
        for (const [url, form] of posts) expect((await browser.post(url, form, { from: '/' })).statusCode, url).toBe(403)
        expect(await ctx.services.users.get(target.id)).toMatchObject({ role: 'reviewer', version: target.version })
        expect((await ctx.browser().signIn(target.email, PASSWORD)).statusCode).toBe(303)
        expect(await ctx.services.users.byEmail(sneaky)).toBeUndefined()
      })
    }

    it('answers 404 for an unknown or malformed user id', async () => {
      const browser = await admin()
      for (const url of ['/admin/users/999999', '/admin/users/abc', '/admin/users/0', '/admin/users/1e3', '/admin/users/99999999999999999999']) {
        const res = await browser.get(url)
        expect(res.statusCode, url).toBe(404)
        expect(res.body).toContain('Page not found')
      }
      expect((await browser.post('/admin/users/999999', { name: 'x', role: 'hmi', version: '1' }, { from: '/admin/users' })).statusCode).toBe(404)
      expect((await browser.post('/admin/users/999999/reset-password', {}, { from: '/admin/users' })).statusCode).toBe(404)
    })
  })
}
