import { describe, expect, it } from 'vitest'
import { testEngines } from '../../../test/helpers/engines.ts'
import { useTestApp } from '../../../test/helpers/test-app.ts'
import { systemActor } from '../auth/actor.ts'

for (const engine of testEngines()) {
  describe(`writing rules pages and API on ${engine.name}`, () => {
    const ctx = useTestApp(engine)
    const url = '/admin/writing-rules'

    describe('the admin page', () => {
      it('lists the rules with their kind, language, pattern, message, state and origin, and the forms to try the checks and add a rule', async () => {
        const { browser } = await ctx.signedIn('admin')
        const res = await browser.get(url)
        expect(res.statusCode).toBe(200)
        expect(res.body.match(/<h1/g)).toHaveLength(1)
        expect(res.body).toMatch(/<h1[^>]*>Writing checks<\/h1>/)
        const row = /<tr class="govuk-table__row" id="rule-quantity-most-en">([\s\S]*?)<\/tr>/.exec(res.body)?.[1] ?? ''
        expect(row).toContain('<code>quantity-most-en</code>')
        expect(row).toContain('Quantity word')
        expect(row).toContain('<code lang="en">most|!at most|!the most:&gt;=90</code>')
        expect(row).toContain('means 90% or more')
        expect(row).toContain(`action="${url}/quantity-most-en/enabled"`)
        expect(row).toContain('name="enabled" value="0"')
        expect(row).toMatch(/Turn off<span class="govuk-visually-hidden"> rule quantity-most-en<\/span>/)
        expect(res.body).toMatch(/id="rule-grade-words-cy">[\s\S]*?<code lang="cy">rhagorol\|/)
        expect(res.body).toContain(`action="${url}/try#try-results"`)
        expect(res.body).toContain(`action="${url}"`)
        for (const id of ['text', 'textLang', 'code', 'kind', 'lang', 'pattern', 'messageEn', 'messageCy']) expect(res.body).toMatch(new RegExp(`<(input|textarea)[^>]*id="${id}"`))
        expect(res.body).toContain('Checks on the whole letter')
        expect(res.body).not.toContain('id="try-results"')
        // No inline styles: the content security policy would block them.
        expect(res.body).not.toContain('style="')
      })

      it('shows the page in Welsh, messages in Welsh', async () => {
        const { browser } = await ctx.signedIn('admin')
        await browser.get('/language/cy')
        const res = await browser.get(url)
        expect(res.body).toMatch(/<h1[^>]*>Gwiriadau ysgrifennu<\/h1>/)
        expect(res.body).toContain('Ychwanegu rheol')
        expect(res.body).toContain('Rhoi cynnig ar y gwiriadau')
        expect(res.body).toMatch(/id="rule-quantity-most-en">[\s\S]*?Gair maint[\s\S]*?yn golygu 90% neu fwy/)
        expect(res.body).toMatch(/Diffodd<span class="govuk-visually-hidden"> rheol quantity-most-en<\/span>/)
      })

      it('tries the checks on pasted text without saving anything, keeping the text; an empty text is an error', async () => {
        const { browser } = await ctx.signedIn('admin')
        const res = await browser.post(`${url}/try`, { text: 'Most schools (65%) agree. Leaders are good.', lang: 'en' }, { from: url })
        expect(res.statusCode).toBe(200)
        const results = /<div id="try-results"[^>]*>([\s\S]*?)<\/div>/.exec(res.body)?.[1] ?? ''
        expect(results).toContain('The checks found 2 problems:')
        expect(results).toContain('“Most” means 90% or more, but the figure given is 65%')
        expect(results).toContain('<code>grade-words-en</code>')
        expect(res.body).toMatch(/<textarea[^>]*id="text"[^>]*lang="en"[^>]*>Most schools \(65%\) agree. Leaders are good.<\/textarea>/)
        expect(res.body).toMatch(/value="en" checked/)

        const welsh = await browser.post(`${url}/try`, { text: 'Mae’r rhan fwyaf o ysgolion (65%) yn cytuno.', lang: 'cy' }, { from: url })
        expect(welsh.body).toContain('The checks found 1 problem:')
        const clean = await browser.post(`${url}/try`, { text: 'Leaders know their schools well.', lang: 'en' }, { from: url })
        expect(clean.body).toContain('The checks found no problems in this text.')

        const empty = await browser.post(`${url}/try`, { text: ' ', lang: 'en' }, { from: url })
        expect(empty.statusCode).toBe(400)
        expect(empty.body).toContain('href="#text"')
        expect(empty.body).toContain('Enter the text to check')
        expect(empty.body.match(/<h1/g)).toHaveLength(1)
      })

      it('adds a rule with a message of success; a bad form comes back with every problem and what was typed', async () => {
        const { browser } = await ctx.signedIn('admin')
        const added = await browser.post(url, { code: 'stakeholder', kind: 'phrase', lang: 'both', pattern: 'stakeholder|rhanddeiliad', messageEn: 'Name who you mean, not “{match}”.', messageCy: 'Enwch pwy rydych chi’n ei olygu, nid “{match}”.' })
        expect(added.statusCode).toBe(303)
        expect(added.headers.location).toBe(url)
        const after = (await browser.get(url)).body
        expect(after).toContain('Rule “stakeholder” added')
        expect(after).toMatch(/id="rule-stakeholder">[\s\S]*?Word or phrase[\s\S]*?English and Welsh[\s\S]*?<code>stakeholder\|rhanddeiliad<\/code>[\s\S]*?Name who you mean/)
        const tried = await browser.post(`${url}/try`, { text: 'Each stakeholder agrees.', lang: 'en' }, { from: url })
        expect(tried.body).toContain('Name who you mean, not “stakeholder”.')

        const bad = await browser.post(url, { code: 'Bad Code', kind: 'quantity', lang: 'en', pattern: 'most', messageEn: 'Kept message', messageCy: '' })
        expect(bad.statusCode).toBe(400)
        expect(bad.body).toContain('There is a problem')
        for (const field of ['code', 'pattern', 'messageCy']) expect(bad.body).toContain(`href="#${field}"`)
        expect(bad.body).toContain('The code can only have lower-case letters')
        expect(bad.body).toContain('Enter the quantity word, a colon and its band in per cent')
        expect(bad.body).toContain('value="Bad Code"')
        expect(bad.body).toMatch(/<textarea[^>]*id="messageEn"[^>]*>Kept message<\/textarea>/)
        expect(bad.body).toMatch(/value="quantity" checked/)

        const missing = await browser.post(url, {})
        expect(missing.statusCode).toBe(400)
        for (const field of ['code', 'kind', 'lang', 'pattern', 'messageEn', 'messageCy']) expect(missing.body).toContain(`href="#${field}"`)
      })

      it('turns a rule off and on again, which the checks follow', async () => {
        const { browser } = await ctx.signedIn('admin')
        const off = await browser.post(`${url}/grade-words-en/enabled`, { enabled: '0' }, { from: url })
        expect(off.statusCode).toBe(303)
        expect(off.headers.location).toBe(url)
        const page = (await browser.get(url)).body
        expect(page).toContain('Rule “grade-words-en” turned off')
        expect(page).toMatch(/id="rule-grade-words-en">[\s\S]*?name="enabled" value="1"[\s\S]*?Turn on/)
        const tried = await browser.post(`${url}/try`, { text: 'Leaders are good.', lang: 'en' }, { from: url })
        expect(tried.body).toContain('The checks found no problems in this text.')

        await browser.post(`${url}/grade-words-en/enabled`, { enabled: '1' }, { from: url })
        expect((await browser.get(url)).body).toContain('Rule “grade-words-en” turned on')
        expect((await ctx.services.writingChecks.rules()).find((r) => r.code === 'grade-words-en')!.enabled).toBe(true)
        expect((await browser.post(`${url}/no-such-rule/enabled`, { enabled: '0' }, { from: url })).statusCode).toBe(404)
      })

      it.each(['hmi', 'reviewer', 'la'] as const)('refuses a %s user with 403, and changes nothing', async (role) => {
        const { browser } = await ctx.signedIn(role)
        expect((await browser.get(url)).statusCode).toBe(403)
        expect((await browser.post(url, { code: `by-${role}`, kind: 'phrase', lang: 'en', pattern: 'x', messageEn: 'x', messageCy: 'y' }, { from: '/' })).statusCode).toBe(403)
        expect((await browser.post(`${url}/grade-words-en/enabled`, { enabled: '0' }, { from: '/' })).statusCode).toBe(403)
        expect((await browser.post(`${url}/try`, { text: 'x', lang: 'en' }, { from: '/' })).statusCode).toBe(403)
        const rules = await ctx.services.writingChecks.rules()
        expect(rules.map((r) => r.code)).not.toContain(`by-${role}`)
        expect(rules.find((r) => r.code === 'grade-words-en')!.enabled).toBe(true)
      })

      it('sends a visitor who is not signed in to sign in', async () => {
        const res = await ctx.browser().get(url)
        expect(res.statusCode).toBe(302)
        expect(res.headers.location).toBe('/sign-in?next=%2Fadmin%2Fwriting-rules')
      })
    })

    describe('the API', () => {
      const tokenFor = async (role: 'admin' | 'hmi' | 'reviewer' | 'la' | 'peer') =>
        (await ctx.services.auth.createToken(systemActor('test'), (await ctx.make.user(role)).email)).token
      const call = (token: string | undefined, method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown, headers: Record<string, string> = {}) => ctx.app.inject({
        method, url: path,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      })

      it.each(['hmi', 'reviewer', 'peer'] as const)('lists the rules and checks text for a %s token', async (role) => {
        const token = await tokenFor(role)
        const list = await call(token, 'GET', '/api/v1/writing-rules')
        expect(list.statusCode).toBe(200)
        const { items } = list.json() as { items: Array<Record<string, unknown>> }
        expect(items).toContainEqual(expect.objectContaining({ code: 'quantity-most-en', kind: 'quantity', lang: 'en', pattern: 'most|!at most|!the most:>=90', enabled: true, builtIn: true }))
        expect(Object.keys(items[0]!).sort()).toEqual(['builtIn', 'code', 'enabled', 'kind', 'lang', 'message', 'pattern'])

        const checked = await call(token, 'POST', '/api/v1/writing-rules/check', { text: 'Most schools (65%) agree. The authority must act.', lang: 'en' })
        expect(checked.statusCode).toBe(200)
        expect(checked.json()).toEqual({ problems: [
          { rule: 'follow-up-en', message: expect.stringMatching(/^“must” suggests follow-up/), section: null, paragraph: null, lang: 'en' },
          { rule: 'quantity-most-en', message: expect.stringMatching(/^“Most” means 90% or more/), section: null, paragraph: null, lang: 'en' },
        ] })
        const welshReader = await call(token, 'POST', '/api/v1/writing-rules/check', { text: 'Rhaid i’r awdurdod weithredu.', lang: 'cy' }, { 'accept-language': 'cy' })
        expect(welshReader.json()).toEqual({ problems: [expect.objectContaining({ rule: 'follow-up-cy', message: expect.stringMatching(/^Mae “Rhaid” yn awgrymu gwaith dilynol/), lang: 'cy' })] })
      })

      it('refuses an authority token and a caller without a token', async () => {
        const la = await tokenFor('la')
        expect((await call(la, 'GET', '/api/v1/writing-rules')).statusCode).toBe(403)
        expect((await call(la, 'POST', '/api/v1/writing-rules/check', { text: 'x', lang: 'en' })).statusCode).toBe(403)
        expect((await call(undefined, 'GET', '/api/v1/writing-rules')).statusCode).toBe(401)
        expect((await call(undefined, 'POST', '/api/v1/writing-rules/check', { text: 'x', lang: 'en' })).statusCode).toBe(401)
      })

      it('answers 400 for text to check that is missing, empty or in no known language', async () => {
        const token = await tokenFor('hmi')
        const blank = await call(token, 'POST', '/api/v1/writing-rules/check', { text: '  ', lang: 'en' })
        expect(blank.statusCode).toBe(400)
        expect(blank.json().error.details).toEqual([expect.objectContaining({ path: 'text', code: 'validation.required' })])
        const french = await call(token, 'POST', '/api/v1/writing-rules/check', { text: 'Bonjour', lang: 'fr' })
        expect(french.statusCode).toBe(400)
        expect((await call(token, 'POST', '/api/v1/writing-rules/check', { lang: 'en' })).statusCode).toBe(400)
      })

      it('lets an admin add a rule (201) and turn one off and on; validation names each problem by the field sent', async () => {
        const admin = await tokenFor('admin')
        const body = { code: 'api-jargon', kind: 'phrase', lang: 'en', pattern: 'leverage', message: { en: 'Say “use”, not “{match}”.', cy: 'Dywedwch “defnyddio”, nid “{match}”.' } }
        const created = await call(admin, 'POST', '/api/v1/writing-rules', body)
        expect(created.statusCode).toBe(201)
        expect(created.json()).toEqual({ ...body, enabled: true, builtIn: false })
        const hmi = await tokenFor('hmi')
        expect((await call(hmi, 'POST', '/api/v1/writing-rules/check', { text: 'We leverage data.', lang: 'en' })).json().problems)
          .toEqual([expect.objectContaining({ rule: 'api-jargon', message: 'Say “use”, not “leverage”.' })])

        const taken = await call(admin, 'POST', '/api/v1/writing-rules', body)
        expect(taken.statusCode).toBe(400)
        expect(taken.json().error.details).toEqual([expect.objectContaining({ path: 'code', code: 'writingChecks.rule.codeTaken', message: 'There is already a rule with the code “api-jargon”' })])
        const bad = await call(admin, 'POST', '/api/v1/writing-rules', { ...body, code: 'other', kind: 'sentence_length', pattern: 'long', message: { en: 'x', cy: ' ' } })
        expect(bad.statusCode).toBe(400)
        expect(bad.json().error.details.map((d: { path: string; code: string }) => [d.path, d.code])).toEqual([
          ['pattern', 'writingChecks.rule.patternLength'], ['message.cy', 'validation.required'],
        ])
        expect(bad.json().error.details[0].message).toBe('Enter the most words a sentence may have, a whole number from 5 to 200')
        expect((await call(admin, 'POST', '/api/v1/writing-rules', { code: 'x' })).statusCode).toBe(400)

        const off = await call(admin, 'PATCH', '/api/v1/writing-rules/api-jargon', { enabled: false })
        expect(off.statusCode).toBe(200)
        expect(off.json()).toMatchObject({ code: 'api-jargon', enabled: false })
        expect((await call(hmi, 'POST', '/api/v1/writing-rules/check', { text: 'We leverage data.', lang: 'en' })).json().problems).toEqual([])
        expect((await call(admin, 'PATCH', '/api/v1/writing-rules/no-such-rule', { enabled: false })).statusCode).toBe(404)
      })

      it('refuses to add or change rules for anyone but an admin', async () => {
        for (const role of ['hmi', 'reviewer', 'la'] as const) {
          const token = await tokenFor(role)
          expect((await call(token, 'POST', '/api/v1/writing-rules', { code: `api-${role}`, kind: 'phrase', lang: 'en', pattern: 'x', message: { en: 'x', cy: 'y' } })).statusCode).toBe(403)
          expect((await call(token, 'PATCH', '/api/v1/writing-rules/grade-words-en', { enabled: false })).statusCode).toBe(403)
        }
        expect((await ctx.services.writingChecks.rules()).find((r) => r.code === 'grade-words-en')!.enabled).toBe(true)
      })

      it('documents the writing rules API in the OpenAPI description', async () => {
        const doc = (await ctx.app.inject('/api/v1/openapi.json')).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }
        expect(Object.keys(doc.paths['/api/v1/writing-rules']!)).toEqual(expect.arrayContaining(['get', 'post']))
        expect(Object.keys(doc.paths['/api/v1/writing-rules']!.post!.responses)).toEqual(expect.arrayContaining(['201', '400', '403']))
        expect(Object.keys(doc.paths['/api/v1/writing-rules/check']!)).toEqual(['post'])
        expect(Object.keys(doc.paths['/api/v1/writing-rules/{code}']!)).toEqual(['patch'])
      })
    })
  })
}
