import { describe, expect, it } from 'vitest'
import { I18n } from '../../i18n/catalogue.ts'
import type { EvidenceView, EvidenceWorkspace } from './evidence.service.ts'
import { evidenceCard, filterFromQuery, formChoices, formInput, formValues, logHref, logPaging } from './evidence.view.ts'

const i18n = new I18n()
const en = i18n.translator('en')
const cy = i18n.translator('cy')

const attendance = { id: 1, key: 'attendance', labelEn: 'Attendance', labelCy: 'Presenoldeb' }
const safeguarding = { id: 2, key: 'safeguarding', labelEn: 'Safeguarding', labelCy: 'Diogelu' }

const item: EvidenceView = {
  id: 7, elv_id: 3, kind: 'link_intelligence', title: 'Termly meeting', body: 'Text', source: 'Gwen', meeting_id: 4, gathered_on: '2026-05-01',
  recorded_at: '2026-06-01T10:00:00.000Z', recorded_by: 9, from_authority: 0, draft_key: null, origin_type: 'link_note', origin_id: 11, version: 2,
  updated_at: '2026-06-02T10:00:00.000Z', updated_by: 9, recorded_by_name: 'Gwen HMI', meeting_title: 'Director', updated_by_name: 'Gwen HMI',
  focusAreaIds: [21, 22], themes: [attendance],
  files: [{ id: 5, evidence_id: 7, storage_key: 'k', file_name: 'notes.pdf', media_type: 'application/pdf', size_bytes: 10, sha256: 'x', uploaded_by: 9, uploaded_at: '2026-06-01T10:00:00.000Z' }],
}

const ws = {
  focusAreas: [{ id: 21, title: 'Attendance', live: true }, { id: 22, title: 'Old area', live: false }, { id: 23, title: 'ALN', live: true }],
  meetings: [{ id: 4, day: 1, start: '09:30', title: 'Director' }],
  themes: [attendance, safeguarding],
} as unknown as EvidenceWorkspace

describe('evidence view', () => {
  it('shapes an item for the log: links, words in the reader’s language, withdrawn areas named, origin kept', () => {
    const card = evidenceCard(item, { t: cy, lang: 'cy', focusAreas: ws.focusAreas, origins: new Map([['link_note:11', 'Termly meeting']]) })
    expect(card).toMatchObject({
      href: '/elvs/3/evidence/7', kindText: 'Gwybodaeth gyswllt', meetingTitle: 'Director', recordedBy: 'Gwen HMI',
      focusAreas: ['Attendance', 'Old area (wedi’i dynnu’n ôl)'], themes: ['Presenoldeb'],
      files: [{ name: 'notes.pdf', href: '/evidence/7/files/5' }], origin: 'Nodyn cyswllt: Termly meeting', fromAuthority: false,
    })
    const plain = evidenceCard({ ...item, origin_type: null, origin_id: null, recorded_by_name: null }, { t: en, lang: 'en', focusAreas: ws.focusAreas, origins: new Map() })
    expect(plain.origin).toBeNull()
    expect(plain.recordedBy).toBe('Cyswllt (not a person)')
    expect(plain.themes).toEqual(['Attendance'])
  })

  it('reads the filters, ignoring what is not of this visit', () => {
    expect(filterFromQuery({ kind: 'data', focusArea: '23', theme: 'safeguarding' }, ws).filter).toEqual({ kind: 'data', focusAreaId: 23, themeId: 2 })
    expect(filterFromQuery({ kind: 'nonsense', focusArea: '999', theme: 'nope' }, ws)).toEqual({
      filter: { kind: undefined, focusAreaId: undefined, themeId: undefined }, chosen: { kind: '', focusArea: '', theme: '' },
    })
  })

  it('treats unticked boxes on a form as none, and round-trips an item through the form', () => {
    expect(formInput({ kind: 'data', title: 't', source: 's', version: '3' })).toMatchObject({ focusAreaIds: [], themes: [], meetingId: '', body: '' })
    expect(formInput({ focusAreaIds: '21', themes: ['attendance', 'safeguarding'] })).toMatchObject({ focusAreaIds: ['21'], themes: ['attendance', 'safeguarding'] })
    const values = formValues(item)
    expect(values).toMatchObject({ meetingId: '4', focusAreaIds: ['21', '22'], themes: ['attendance'], version: '2' })
    const choices = formChoices(ws as EvidenceWorkspace, values, en, 'en')
    expect(choices.kinds.find((k) => k.checked)?.value).toBe('link_intelligence')
    expect(choices.meetings).toEqual([{ value: '', text: 'Not from a meeting' }, { value: '4', text: 'Day 1, 09:30: Director', selected: true }])
    // A withdrawn area is offered only while the item is tagged with it.
    expect(choices.focusAreas.map((f) => [f.value, f.checked])).toEqual([['21', true], ['22', true], ['23', false]])
    expect(formChoices(ws as EvidenceWorkspace, {}, en, 'en').focusAreas.map((f) => f.value)).toEqual(['21', '23'])
    expect(formChoices(ws as EvidenceWorkspace, values, cy, 'cy').themes).toEqual([
      { value: 'attendance', text: 'Presenoldeb', checked: true }, { value: 'safeguarding', text: 'Diogelu', checked: false },
    ])
  })
})

describe('evidence log pages', () => {
  const none = { kind: '', focusArea: '', theme: '' }
  it('keeps every chosen filter in the address and leaves out page 1', () => {
    expect(logHref(3, none)).toBe('/elvs/3/evidence')
    expect(logHref(3, none, 1)).toBe('/elvs/3/evidence')
    expect(logHref(3, { kind: 'data', focusArea: '21', theme: 'attendance' }, 4)).toBe('/elvs/3/evidence?kind=data&focusArea=21&theme=attendance&page=4')
    expect(logHref(3, { kind: '', focusArea: '', theme: 'well-being & safety' }, 2)).toBe('/elvs/3/evidence?theme=well-being+%26+safety&page=2')
  })

  it('says which items are shown only when there is more than one page', () => {
    const page = (n: number, count: number, total: number) => ({ items: Array.from({ length: count }), page: n, pageSize: 50, pageCount: Math.max(1, Math.ceil(total / 50)), total })
    expect(logPaging(page(2, 50, 460), 3, none, en).showing).toBe('Showing 51 to 100 of 460 items')
    expect(logPaging(page(10, 10, 460), 3, none, cy).showing).toBe('Yn dangos 451 i 460 o 460 eitem')
    const single = logPaging(page(1, 7, 7), 3, none, en)
    expect(single).toEqual({ showing: undefined, pagination: undefined })
    const links = logPaging(page(5, 50, 460), 3, { ...none, kind: 'data' }, en).pagination!
    expect(links.previous?.href).toBe('/elvs/3/evidence?kind=data&page=4')
    expect(links.next?.href).toBe('/elvs/3/evidence?kind=data&page=6')
    expect(links.items.map((i) => i.number ?? '…')).toEqual(['1', '…', '4', '5', '6', '…', '10'])
    expect(links.items[0]).toMatchObject({ href: '/elvs/3/evidence?kind=data', visuallyHiddenText: 'Page 1' })
  })
})
