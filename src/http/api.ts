import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { AuthService } from '../modules/auth/auth.service.ts'

/** The REST API's shared parts: bearer tokens, the OpenAPI document and its browsable docs. */
export const apiPlugin = fp<{ auth: AuthService; version: string }>(async (app, { auth, version }) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cyswllt API',
        version,
        description: 'Enhanced Local Authority link inspector visits. Authenticate with "Authorization: Bearer <token>" (create one with `cyswllt token create`). Errors are { "error": { "code", "message", "details" } }.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    // Only the API is documented, not the HTML pages.
    hideUntagged: true,
  })
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true })

  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/v1/')) return
    const header = req.headers.authorization
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null
    if (match?.[1]) req.actor = await auth.actorForToken(match[1])
  })

  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger())
})
