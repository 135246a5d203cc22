import { describe, expect, it } from 'vitest'
import type { AppUser, LocalAuthority } from '../../db/schema.ts'
import { authorityItems, readListFilter, typedValues, userTableRows } from './users.view.ts'

const authority = (gss_code: string, name_en: string, name_cy: string): LocalAuthority => ({
  gss_code, name_en, name_cy, director_name: null, director_email: null, preferred_language: 'en', link_inspector_id: null, welsh_medium: 0, version: 1, updated_at: '',
})
const AUTHORITIES = [authority('W06000001', 'Isle of Anglesey', 'Ynys Môn'), authority('W06000015', 'Cardiff', 'Caerdydd'), authority('W06000004', 'Denbighshire', 'Sir Ddinbych')]
const t = (key: string) => `[${key}]`

describe('users view helpers', () => {
  it('orders authorities by name in the reader’s language, after the first item', () => {
    expect(authorityItems(AUTHORITIES, 'en', 'Any').map((i) => i.text)).toEqual(['Any', 'Cardiff', 'Denbighshire', 'Isle of Anglesey'])
    expect(authorityItems(AUTHORITIES, 'cy', '').map((i) => i.text)).toEqual(['', 'Caerdydd', 'Sir Ddinbych', 'Ynys Môn'])
  })

  it('reads the list filter leniently: unknown roles and authorities mean "any"', () => {
    expect(readListFilter({ q: '  ann ', role: 'peer', authority: 'W06000015', disabled: 'yes' }, AUTHORITIES))
      .toEqual({ q: 'ann', role: 'peer', authority: 'W06000015', disabled: true })
    expect(readListFilter({ role: 'superuser', authority: 'W06999999', q: ['a', 'b'] }, AUTHORITIES))
      .toEqual({ q: 'a', role: '', authority: '', disabled: false })
  })

  it('escapes names in the table’s link cells', () => {
    const user = { id: 7, name: '<script>alert("x")</script>', email: 'a@b.c', role: 'la', authority_code: 'W06000015', disabled: 1 } as AppUser
    const [row] = userTableRows([user], AUTHORITIES, 'cy', t)
    expect(row![0]).toEqual({ html: '<a class="govuk-link" href="/admin/users/7">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</a>' })
    expect(row![3]).toEqual({ text: 'Caerdydd' })
    expect(row![4]!.html).toContain('[users.status.disabled]')
  })

  it('never keeps a typed password to show again', () => {
    expect(typedValues({ email: 'a@b.c', password: 'secret-secret', disabled: 'yes' })).not.toHaveProperty('password')
  })
})
