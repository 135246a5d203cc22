import { describe, expect, it } from 'vitest'
import type { Catalogue } from '../../i18n/catalogue.ts'
import { prefixFrom, welshReviewList } from './welsh-review.view.ts'

const catalogue = (messages: Record<string, string>, needsReview: string[] = []): Catalogue =>
  ({ messages: new Map(Object.entries(messages)), needsReview: new Set(needsReview) })

const i18n = {
  catalogue: (lang: 'en' | 'cy') => lang === 'en'
    ? catalogue({ 'auth.title': 'Sign in', 'home.title': 'Home', 'users.title': 'Users' })
    : catalogue(
      { 'auth.title': 'Mewngofnodi', 'home.title': 'Hafan', 'users.title': 'Defnyddwyr', 'users.extra': 'Ychwanegol' },
      ['users.title', 'auth.title', 'users.extra'],
    ),
}

describe('Welsh strings awaiting review', () => {
  it('lists only the keys marked for review, in key order, with English beside the Welsh', () => {
    const list = welshReviewList(i18n, '')
    expect(list.total).toBe(3)
    expect(list.rows).toEqual([
      { key: 'auth.title', en: 'Sign in', cy: 'Mewngofnodi' },
      { key: 'users.extra', en: undefined, cy: 'Ychwanegol' },
      { key: 'users.title', en: 'Users', cy: 'Defnyddwyr' },
    ])
  })

  it('narrows to a key prefix but still counts them all', () => {
    const list = welshReviewList(i18n, 'users.')
    expect(list.total).toBe(3)
    expect(list.rows.map((r) => r.key)).toEqual(['users.extra', 'users.title'])
    expect(welshReviewList(i18n, 'nothing.').rows).toEqual([])
  })

  it('takes a prefix only from text in the query', () => {
    expect(prefixFrom('  auth. ')).toBe('auth.')
    expect(prefixFrom(['auth.', 'home.'])).toBe('')
    expect(prefixFrom(undefined)).toBe('')
    expect(prefixFrom('x'.repeat(500))).toHaveLength(200)
  })
})
