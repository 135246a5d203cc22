import { describe, expect, it } from 'vitest'
import { I18n } from '../../i18n/catalogue.ts'
import type { AuditEvent } from '../../db/schema.ts'
import { actionLabel, auditHref, auditPagination, auditResults, auditRows, detailLines, selectItems } from './audit.view.ts'

const i18n = new I18n()
const t = i18n.translator('en')
const cy = i18n.translator('cy')

const event = (over: Partial<AuditEvent> = {}): AuditEvent => ({
  id: 1, at: '2025-03-10T09:30:00.000Z', actor_id: 1, actor_label: 'Ann Jones <ann@test.invalid>',
  action: 'user.create', entity_type: 'user', entity_id: '7', details: '{}', ...over,
})

describe('audit details as readable lines', () => {
  it('lists only the fields a before/after change altered, as from → to', () => {
    const details = JSON.stringify({
      before: { name: 'Ann', role: 'hmi', authorityCode: null, disabled: 0 },
      after: { name: 'Ann', role: 'reviewer', authorityCode: 'W06000008', disabled: 0 },
    })
    expect(detailLines(details, t)).toEqual(['role: hmi → reviewer', 'authorityCode: Not set → W06000008'])
  })

  it('reads field-by-field changes { field: { from, to } } and keeps other fields', () => {
    const details = JSON.stringify({ director_email: { from: null, to: 'd@test.invalid' }, areasRenamed: ['A1', 'A2'], empty: [] })
    expect(detailLines(details, t)).toEqual(['director_email: Not set → d@test.invalid', 'areasRenamed: A1, A2', 'empty: None'])
  })

  it('shows a flat object as field: value, nested objects compactly', () => {
    expect(detailLines(JSON.stringify({ method: 'password', count: 2, extra: { a: 1 } }), t))
      .toEqual(['method: password', 'count: 2', 'extra: {"a":1}'])
  })

  it('copes with empty, scalar and unreadable details', () => {
    expect(detailLines('{}', t)).toEqual([])
    expect(detailLines('null', t)).toEqual([])
    expect(detailLines('"just text"', t)).toEqual(['just text'])
    expect(detailLines('not json', t)).toEqual(['not json'])
    expect(detailLines('', t)).toEqual([])
  })

  it('cuts very long values short', () => {
    const [line] = detailLines(JSON.stringify({ note: 'x'.repeat(500) }), t)
    expect(line!.length).toBeLessThan(220)
    expect(line!.endsWith('…')).toBe(true)
  })

  it('leaves markup as text for the template to escape', () => {
    expect(detailLines(JSON.stringify({ name: '<b>x</b>' }), t)).toEqual(['name: <b>x</b>'])
  })
})

describe('audit table rows', () => {
  it('names actions and record types in the reader’s language, unknown ones by their code', () => {
    const rows = auditRows([event(), event({ id: 2, action: 'visit.invent', entity_type: 'elv', entity_id: '3', details: '{"state":"planned"}' })], t)
    expect(rows[0]).toEqual({ id: 1, at: '2025-03-10T09:30:00.000Z', who: 'Ann Jones <ann@test.invalid>', action: 'User created', record: 'User 7', details: [] })
    expect(rows[1]).toMatchObject({ action: 'visit.invent', record: 'elv 3', details: ['state: planned'] })
    expect(actionLabel('user.create', cy)).toBe('Defnyddiwr wedi’i greu')
  })

  it('says which events of how many are showing', () => {
    const items = Array.from({ length: 10 }, (_, i) => event({ id: i + 1 }))
    const r = auditResults({ filter: {}, page: 2, pageSize: 50, pageCount: 2, total: 60, items }, t)
    expect(r.showing).toEqual({ from: 51, to: 60, total: 60 })
    expect(r.rows).toHaveLength(10)
    expect(auditResults({ filter: {}, page: 1, pageSize: 50, pageCount: 1, total: 0, items: [] }, t).showing).toBeUndefined()
  })
})

describe('audit page links', () => {
  it('keeps every filter and leaves out page 1', () => {
    expect(auditHref({})).toBe('/admin/audit')
    expect(auditHref({ actor: 'Ann Jones', action: 'user.create', entityType: 'user', from: '2025-01-01', to: '2025-01-31' }, 3))
      .toBe('/admin/audit?actor=Ann+Jones&action=user.create&entityType=user&from=2025-01-01&to=2025-01-31&page=3')
    expect(auditHref({ action: 'a&b' }, 1)).toBe('/admin/audit?action=a%26b')
  })

  it('has no pagination for a single page', () => {
    expect(auditPagination({ filter: {}, page: 1, pageCount: 1 }, t)).toBeUndefined()
  })

  it('shows first, last and the neighbours of the current page, with gaps', () => {
    const p = auditPagination({ filter: { actor: 'x' }, page: 5, pageCount: 10 }, t)!
    expect(p.items.map((i) => (i.ellipsis ? '…' : i.number))).toEqual(['1', '…', '4', '5', '6', '…', '10'])
    expect(p.items.find((i) => i.current)?.number).toBe('5')
    expect(p.previous).toEqual({ href: '/admin/audit?actor=x&page=4', text: 'Previous' })
    expect(p.next).toEqual({ href: '/admin/audit?actor=x&page=6', text: 'Next' })
    expect(p.items[0]).toMatchObject({ href: '/admin/audit?actor=x', visuallyHiddenText: 'Page 1' })
  })

  it('fills a one-page gap with its number and drops links past the ends', () => {
    const first = auditPagination({ filter: {}, page: 1, pageCount: 3 }, t)!
    expect(first.items.map((i) => i.number)).toEqual(['1', '2', '3'])
    expect(first.previous).toBeUndefined()
    const near = auditPagination({ filter: {}, page: 3, pageCount: 4 }, t)!
    expect(near.items.map((i) => i.number)).toEqual(['1', '2', '3', '4'])
    expect(near.next?.href).toBe('/admin/audit?page=4')
  })
})

describe('filter choices', () => {
  it('puts "any" first, labels each code and marks the chosen one', () => {
    const items = selectItems(['auth.sign_in', 'user.create'], 'user.create', (c) => actionLabel(c, t), 'Any action')
    expect(items).toEqual([
      { value: '', text: 'Any action', selected: false },
      { value: 'auth.sign_in', text: 'Signed in', selected: false },
      { value: 'user.create', text: 'User created', selected: true },
    ])
  })

  it('keeps a chosen code that no event has yet', () => {
    const items = selectItems([], 'user.merge', (c) => c, 'Any')
    expect(items).toEqual([{ value: '', text: 'Any', selected: false }, { value: 'user.merge', text: 'user.merge', selected: true }])
  })
})
