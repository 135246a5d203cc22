import type { App } from '../../app.ts'
import type { Services } from '../../services.ts'
import { paths } from '../../http/paths.ts'
import { prefixFrom, welshReviewList } from './welsh-review.view.ts'

export function welshReviewRoutes(app: App, { i18n }: Services): void {
  app.get<{ Querystring: { prefix?: unknown } }>(paths.welshReview(), { preHandler: app.require('admin:welsh') }, async (req, reply) => {
    const list = welshReviewList(i18n, prefixFrom(req.query?.prefix))
    return reply.render('i18n-review/views/welsh-review.njk', { ...list, formAction: paths.welshReview() })
  })
}
