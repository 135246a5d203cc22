import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { cyswllt, SLOW } from '../../test/helpers/cli.ts'
import { checkPlanOutput } from '../../test/planning/plan-checker.ts'
import { authority, hmis, smallRequest, walesInstance } from '../../bench/planning-instances.ts'
import type { PlanOutput, PlanRequest } from '../modules/planning/plan.types.ts'

const dirs: string[] = []
function freshDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cyswllt-plan-'))
  dirs.push(dir)
  return dir
}
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }) })

function inputFile(body: unknown, name = 'input.json'): string {
  const file = path.join(freshDir(), name)
  fs.writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body, null, 2))
  return file
}

/** 20 ELVs in 4 open terms at 4 a term: no plan. */
const tooMany = (): PlanRequest => smallRequest({
  open: 4,
  authorities: Array.from({ length: 20 }, (_, i) => authority(`W061${String(i + 1).padStart(5, '0')}`)),
  inspectors: hmis(15),
  rules: { elvsPerAuthority: 1 },
})

describe('cyswllt plan', () => {
  it('prints a plan as JSON with exit 0, and writes nothing: not even a database', { timeout: SLOW }, async () => {
    const request = walesInstance(1)
    const env = { DATA_DIR: freshDir() }
    const res = await cyswllt(['plan', '--input', inputFile(request)], env)
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    const out = JSON.parse(res.stdout) as PlanOutput
    expect(out.status).toBe('optimal')
    expect(checkPlanOutput(request, out)).toEqual([])
    expect(Object.keys(out).sort()).toEqual(['conflicts', 'load', 'solver', 'status', 'visits'])
    expect(Object.keys(out.visits[0]!).sort()).toEqual(['gssCode', 'lead', 'notifyBy', 'ordinal', 'team', 'term'])
    expect(fs.readdirSync(env.DATA_DIR)).toEqual([])
  })

  it('leaves an existing database exactly as it was', { timeout: SLOW }, async () => {
    const env = { DATA_DIR: freshDir() }
    expect((await cyswllt(['migrate'], env)).code).toBe(0)
    const snapshot = () => {
      const db = new SQLite(path.join(env.DATA_DIR, 'cyswllt.sqlite'), { readonly: true })
      try {
        const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name)
        return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]))
      } finally {
        db.close()
      }
    }
    const files = fs.readdirSync(env.DATA_DIR)
    expect(files).toContain('cyswllt.sqlite')
    const before = snapshot()
    expect(before).toHaveProperty('plan_proposal')
    const res = await cyswllt(['plan', '--input', inputFile(smallRequest({ open: 5, authorities: [authority('W06000008')], inspectors: hmis(3) }))], env)
    expect(res.code).toBe(0)
    expect(snapshot()).toEqual(before)
  })

  it('exits 3 when no plan keeps every rule, still printing the JSON, the conflicting rules named', { timeout: SLOW }, async () => {
    const res = await cyswllt(['plan', '--input', inputFile(tooMany())], { DATA_DIR: freshDir() })
    expect(res.code).toBe(3)
    const out = JSON.parse(res.stdout) as PlanOutput
    expect(out.status).toBe('infeasible')
    expect(out.visits).toEqual([])
    const conflict = out.conflicts.find((c) => c.rule === 'maxElvsPerTerm')
    expect(conflict?.message).toMatch(/\b20\b.*\b16\b/)
    expect(res.stderr).toContain('maxElvsPerTerm')
  })

  it('exits 2 for invalid input, naming every bad field by its path, printing no plan', { timeout: SLOW }, async () => {
    const request = JSON.parse(JSON.stringify(smallRequest({ open: 3, authorities: [authority('W06000008')], inspectors: hmis(3) })))
    request.authorities[0].gssCode = 'Ceredigion'
    request.inspectors[1].kind = 'chief'
    request.rules = { teamSize: 0 }
    request.terms[2].key = '2026 summer'
    const res = await cyswllt(['plan', '--input', inputFile(request)], { DATA_DIR: freshDir() })
    expect(res.code).toBe(2)
    expect(res.stdout).toBe('')
    for (const p of ['authorities[0].gssCode', 'inspectors[1].kind', 'rules.teamSize', 'terms[2].key']) expect(res.stderr).toContain(p)
  })

  it('says clearly when the file is missing, is not JSON, or --input is not given (exit 2)', { timeout: SLOW }, async () => {
    const env = { DATA_DIR: freshDir() }
    const missing = path.join(freshDir(), 'nowhere.json')
    const none = await cyswllt(['plan', '--input', missing], env)
    expect(none.code).toBe(2)
    expect(none.stdout).toBe('')
    expect(none.stderr).toContain(missing)
    expect(none.stderr).toMatch(/no file|not found|does not exist/i)

    const bad = inputFile('{ "terms": [ ', 'broken.json')
    const notJson = await cyswllt(['plan', '--input', bad], env)
    expect(notJson.code).toBe(2)
    expect(notJson.stdout).toBe('')
    expect(notJson.stderr).toContain(bad)
    expect(notJson.stderr).toMatch(/JSON/)

    const noInput = await cyswllt(['plan'], env)
    expect(noInput.code).toBe(2)
    expect(noInput.stderr).toContain('--input')

    const help = await cyswllt(['plan', '--help'], env)
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--input')
    expect(fs.readdirSync(env.DATA_DIR)).toEqual([])
  })
})
