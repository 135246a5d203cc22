import { describe, expect, it } from 'vitest'
import { I18n } from '../i18n/catalogue.ts'
import { pageErrors, translateDetail } from './form-errors.ts'

const i18n = new I18n()

describe('translateDetail', () => {
  it('names states and dates in the reader language', () => {
    const late = { path: 'reason', messageKey: 'visits.rule.lateNeedsReason', params: { notifyBy: '2026-09-01' } }
    expect(translateDetail(late, i18n.translator('en'))).toBe('The notification is late (it was due by 1 September 2026): give a reason')
    expect(translateDetail(late, i18n.translator('cy'))).toContain('1 Medi 2026')
    const move = { path: 'to', messageKey: 'visits.rule.notAllowedFrom', params: { from: '@visits.state.planned', to: '@visits.state.fieldwork' } }
    expect(translateDetail(move, i18n.translator('en'))).toBe('A visit cannot move from Planned to Fieldwork')
    const typed = { path: 'startsOn', messageKey: 'validation.date', params: { field: '2025-02-30' } }
    expect(translateDetail(typed, i18n.translator('en'))).toContain('2025-02-30')
  })

  it('gives the field its label, capitalised at the start of a sentence', () => {
    const t = i18n.translator('en')
    const errors = pageErrors([
      { path: 'email', messageKey: 'validation.required', params: { field: 'users.field.email' } },
      { path: 'area.1.1.nameEn', messageKey: 'validation.tooLong', params: { field: 'users.field.email', max: 5 } },
    ], t)
    expect(errors.list[0]).toEqual({ text: `Enter ${t('users.field.email')}`, href: '#email' })
    expect(errors.list[1]!.href).toBe('#area-1-1-nameEn')
    expect(errors.list[1]!.text).toMatch(/^[A-Z].* must be 5 characters or fewer$/)
  })
})
