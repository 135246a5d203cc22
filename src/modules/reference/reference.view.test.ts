import { describe, expect, it } from 'vitest'
import type { ErrorDetail } from '../../http/errors.ts'
import { I18n } from '../../i18n/catalogue.ts'
import { datePartsOf, formErrors, readDate, referenceSubnav, withDateProblems } from './reference.view.ts'

const t = new I18n().translator('en')
const parts = (day: string, month: string, year: string) => ({ day, month, year })
const read = (p: ReturnType<typeof parts>, required = true) => readDate(p, 'startsOn', 'reference.field.startsOn', { required })

describe('reading a GOV.UK date input', () => {
  it('combines the boxes into YYYY-MM-DD, padding day and month', () => {
    expect(read(parts('5', '1', '2026'))).toEqual({ ok: true, iso: '2026-01-05' })
    expect(read(parts(' 29 ', '02', '2028'))).toEqual({ ok: true, iso: '2028-02-29' })
  })

  it('asks for a required date left empty, and accepts an optional one', () => {
    expect(read(parts('', '', ''))).toMatchObject({ ok: false, detail: { messageKey: 'validation.required' }, badParts: ['day', 'month', 'year'] })
    expect(read(parts('', '', ''), false)).toEqual({ ok: true, iso: null })
  })

  it('names the boxes missing from an incomplete date', () => {
    expect(read(parts('1', '', '2026'))).toMatchObject({ ok: false, detail: { messageKey: 'reference.date.incomplete' }, badParts: ['month'] })
    expect(read(parts('', '3', ''), false)).toMatchObject({ ok: false, badParts: ['day', 'year'] })
  })

  it('refuses dates that are not on the calendar, marking the wrong box', () => {
    expect(read(parts('29', '2', '2027'))).toMatchObject({ ok: false, detail: { messageKey: 'reference.date.real' }, badParts: ['day'] })
    expect(read(parts('31', '6', '2026'))).toMatchObject({ ok: false, badParts: ['day'] })
    expect(read(parts('1', '13', '2026'))).toMatchObject({ ok: false, badParts: ['month'] })
    expect(read(parts('1', '1', '26'))).toMatchObject({ ok: false, badParts: ['year'] })
    expect(read(parts('first', '1', '2026'))).toMatchObject({ ok: false, badParts: ['day'] })
    expect(read(parts('0', '1', '2026'))).toMatchObject({ ok: false, badParts: ['day'] })
  })

  it('shows a stored date as people type it', () => {
    expect(datePartsOf('2025-09-01')).toEqual({ day: '1', month: '9', year: '2025' })
    expect(datePartsOf(null)).toEqual({ day: '', month: '', year: '' })
  })
})

describe('form errors', () => {
  const service: ErrorDetail[] = [
    { path: 'nameEn', messageKey: 'validation.required', params: { field: 'reference.field.nameEn' } },
    { path: 'effectiveTo', messageKey: 'validation.date', params: { field: 'reference.field.effectiveTo' } },
    { path: 'area.1.1.nameCy', messageKey: 'validation.required', params: { field: 'reference.field.areaNameCy' } },
  ]
  const mine: ErrorDetail = { path: 'effectiveTo', messageKey: 'reference.date.real', params: { field: 'reference.field.effectiveTo' } }

  it('puts the route’s message for an unreadable date in place of the service’s', () => {
    expect(withDateProblems(service, [mine])).toEqual([service[0], mine, service[2]])
    expect(withDateProblems([service[0]!], [mine])).toEqual([service[0], mine])
  })

  it('links a date to its first wrong box and names the area of an area error', () => {
    const errors = formErrors(withDateProblems(service, [mine]), t, { dates: { effectiveTo: ['month', 'year'] } })
    expect(errors.list).toEqual([
      { text: 'Enter English name', href: '#nameEn' },
      { text: 'In use until must be a real date', href: '#effectiveTo-month' },
      { text: '1.1: Enter Welsh name of the area', href: '#area-1-1-nameCy' },
    ])
    expect(errors.byField['area.1.1.nameCy']).toEqual({ text: 'Enter Welsh name of the area' })
  })
})

describe('reference sub-navigation', () => {
  it('marks the list as the current page and a record as within its section', () => {
    expect(referenceSubnav('terms', '/admin/terms', t).map((i) => i.current)).toEqual([undefined, 'page', undefined])
    expect(referenceSubnav('frameworks', '/admin/frameworks/lges-2024', t).map((i) => i.current)).toEqual([undefined, undefined, 'true'])
  })
})
