import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dataSet, DATASET_PASSWORD, type DataSetInfo, type DataSetParams } from '../../bench/dataset.ts'
import { termSeeds } from '../../src/modules/reference/reference.data.ts'
import { verifyPassword } from '../../src/modules/auth/passwords.ts'
import { DEFAULT_THRESHOLD, triangulate } from '../../src/modules/findings/findings.rules.ts'
import type { ElvState } from '../../src/db/schema.ts'

// A small data set of the real shape: the generator's rules do not depend on its size.
const params: DataSetParams = { items: 3000, users: 60, seed: 1, currentTerm: '2026-2027/autumn' }
const previousDataDir = process.env.BENCH_DATA_DIR
let base: string
let dir: string
let info: DataSetInfo
let db: SQLite.Database

beforeAll(async () => {
  base = mkdtempSync(path.join(os.tmpdir(), 'cyswllt-dataset-test-'))
  process.env.BENCH_DATA_DIR = base
  ;({ dir, info } = await dataSet(params))
  db = new SQLite(path.join(dir, 'cyswllt.sqlite'), { readonly: true })
})

afterAll(() => {
  db?.close()
  if (previousDataDir === undefined) delete process.env.BENCH_DATA_DIR
  else process.env.BENCH_DATA_DIR = previousDataDir
  rmSync(base, { recursive: true, force: true })
})

const all = <T>(sql: string, ...args: unknown[]) => db.prepare(sql).all(...args) as T[]

describe('the benchmark data set', () => {
  it('has the 22 authorities over two cycles, each with its first and second ELV in both', () => {
    const rows = all<{ authority_code: string; cycle: string; ordinals: string }>(
      "select authority_code, cycle, group_concat(ordinal, ',') as ordinals from (select * from elv order by ordinal) group by authority_code, cycle")
    expect(rows).toHaveLength(44)
    expect(new Set(rows.map((r) => r.cycle))).toEqual(new Set(['2018-2024', '2024-2030']))
    for (const r of rows) expect(r.ordinals, `${r.authority_code} ${r.cycle}`).toBe('1,2')
    expect(info.elvs).toBe(88)
  })

  it('puts each ELV in the state its term implies: before the current term issued or closed, in it at work, after it not yet visited', () => {
    const order = termSeeds().map((t) => t.key)
    const current = order.indexOf(params.currentTerm)
    const elvs = all<{ cycle: string; term_key: string; state: ElvState }>('select cycle, term_key, state from elv')
    const thisTerm: ElvState[] = []
    for (const e of elvs) {
      const offset = e.cycle === '2018-2024' ? -Infinity : order.indexOf(e.term_key) - current
      const expected = offset < -1 ? ['closed'] : offset === -1 ? ['issued'] : offset === 0 ? ['fieldwork', 'drafting', 'quality_assurance']
        : offset === 1 ? ['prepared'] : offset === 2 ? ['focus_agreed'] : offset === 3 ? ['notified'] : ['planned']
      expect(expected, `${e.term_key}: ${e.state}`).toContain(e.state)
      if (offset === 0) thisTerm.push(e.state)
    }
    // The pages need a visit in fieldwork and one being drafted this term.
    expect(thisTerm).toContain('fieldwork')
    expect(thisTerm).toContain('drafting')
    // The previous cycle's terms are there for its ELVs to refer to.
    expect(all('select key from term where academic_year = ?', '2018-2019')).toHaveLength(3)
  })

  it('has the users asked for, of every role, each able to sign in with the data set password', async () => {
    const roles = all<{ role: string; n: number }>('select role, count(*) as n from app_user group by role')
    expect(roles.reduce((s, r) => s + r.n, 0)).toBe(params.users)
    expect(roles.map((r) => r.role).sort()).toEqual(['admin', 'hmi', 'la', 'peer', 'reviewer'])
    const [hmi] = all<{ password_hash: string }>("select password_hash from app_user where role = 'hmi' limit 1")
    expect(await verifyPassword(hmi!.password_hash, DATASET_PASSWORD)).toBe(true)
    expect(await verifyPassword(hmi!.password_hash, 'not-the-password')).toBe(false)
  })

  it('puts every evidence item on a visit from fieldwork on, and every finding on evidence that triangulates', () => {
    const evidence = all<{ state: ElvState; n: number }>('select elv.state, count(*) as n from evidence join elv on elv.id = evidence.elv_id group by elv.state')
    expect(evidence.reduce((s, r) => s + r.n, 0)).toBe(params.items)
    for (const r of evidence) expect(['fieldwork', 'drafting', 'quality_assurance', 'issued', 'closed']).toContain(r.state)
    expect(all('select rowid from evidence_search')).toHaveLength(params.items)

    const links = all<{ finding_id: number; id: number; kind: string; source: string }>(
      'select fe.finding_id, e.id, e.kind, e.source from finding_evidence fe join evidence e on e.id = fe.evidence_id')
    const findings = all<{ id: number; elv_id: number; focus_area_id: number }>('select id, elv_id, focus_area_id from finding')
    expect(findings.length).toBeGreaterThan(0)
    for (const f of findings) {
      const items = links.filter((l) => l.finding_id === f.id).map((l) => ({ id: l.id, kind: l.kind as 'data', source: l.source }))
      expect(triangulate(items, DEFAULT_THRESHOLD).secure, `finding ${f.id}`).toBe(true)
    }
    // Findings are on the visit's own focus areas.
    expect(all('select f.id from finding f join focus_area fa on fa.id = f.focus_area_id where fa.elv_id <> f.elv_id')).toHaveLength(0)
  })

  it('has letters built by the letters service from every secure finding: a draft, one in review, the rest issued', () => {
    const letters = all<{ elv_id: number; elv_state: ElvState; state: string; finding_ids: string }>(`select l.elv_id, elv.state as elv_state, l.state,
      group_concat(p.finding_ids, '') as finding_ids from letter l join elv on elv.id = l.elv_id
      join letter_section s on s.letter_id = l.id join letter_paragraph p on p.section_id = s.id group by l.id`)
    const written = all<{ n: number }>("select count(*) as n from elv where state in ('drafting', 'quality_assurance', 'issued', 'closed')")[0]!.n
    expect(letters).toHaveLength(written)
    const expectedState: Partial<Record<ElvState, string>> = { drafting: 'draft', quality_assurance: 'in_review', issued: 'issued', closed: 'issued' }
    for (const l of letters) {
      expect(l.state, `letter of ELV ${l.elv_id}`).toBe(expectedState[l.elv_state])
      const used = new Set((l.finding_ids.match(/\d+/g) ?? []).map(Number))
      const findings = all<{ id: number }>('select id from finding where elv_id = ?', l.elv_id)
      expect(findings).toHaveLength(12)
      for (const f of findings) expect(used.has(f.id), `finding ${f.id} in the letter of ELV ${l.elv_id}`).toBe(true)
    }
    // Issued letters were written in both languages; the draft still has its Welsh to write.
    expect(all("select p.id from letter_paragraph p join letter_section s on s.id = p.section_id join letter l on l.id = s.letter_id where l.state = 'issued' and p.text_cy = ''")).toHaveLength(0)
    expect(all("select p.id from letter_paragraph p join letter_section s on s.id = p.section_id join letter l on l.id = s.letter_id where l.state = 'draft' and p.text_cy = ''").length).toBeGreaterThan(0)
  })

  it('names pages that exist: an HMI on the teams of the visits in fieldwork and being drafted, and a year with every core inspection', () => {
    const { pages } = info
    const state = (id: number) => all<{ state: string }>('select state from elv where id = ?', id)[0]?.state
    expect(state(pages.workspaceElvId)).toBe('fieldwork')
    expect(pages.searchElvId).toBe(pages.workspaceElvId)
    expect(state(pages.letterElvId)).toBe('drafting')
    expect(all("select id from letter where elv_id = ? and state = 'draft'", pages.letterElvId)).toHaveLength(1)
    const user = all<{ id: number; role: string }>('select id, role from app_user where email = ?', pages.email)[0]!
    expect(user.role).toBe('hmi')
    for (const elv of [pages.workspaceElvId, pages.letterElvId]) {
      expect(all('select id from elv_team_member where elv_id = ? and user_id = ?', elv, user.id), `team of ELV ${elv}`).toHaveLength(1)
    }
    expect(all('select id from core_inspection where academic_year = ?', pages.insightsYear)).toHaveLength(22)
    expect(all<{ n: number }>('select count(*) as n from evidence where elv_id = ?', pages.searchElvId)[0]!.n).toBeGreaterThan(0)
  })

  it('is kept and reused: asked again with the same parameters it is found, not generated again', async () => {
    const again = await dataSet(params)
    expect(again.dir).toBe(dir)
    expect(again.info.reused).toBe(true)
    expect(info.reused).toBe(false)
    expect(again.info.pages).toEqual(info.pages)
  })
})
