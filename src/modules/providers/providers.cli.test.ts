import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../config.ts'
import { connectDatabase } from '../../db/connect.ts'
import { PROVIDER_COLUMNS } from './providers.csv.ts'
import { cyswllt, SLOW } from '../../../test/helpers/cli.ts'

describe('cyswllt import providers', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cyswllt-providers-cli-'))
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
  const env = { DATA_DIR: path.join(dir, 'data') }
  fs.mkdirSync(env.DATA_DIR)

  it('imports a good file with counts on stdout, and refuses a bad one whole with every problem on stderr, exit 2', { timeout: 2 * SLOW }, async () => {
    const good = path.join(dir, 'good.csv')
    fs.writeFileSync(good, `\uFEFF${PROVIDER_COLUMNS.join(',')}\r\nW06000008,C-1,"Ysgol Aberaeron, Ceredigion",primary,2025-03-12,"Two lines:\r\nstill one row",https://example.org/c1\r\nW06000015,C-2,Ysgol Treganna,primary,,,\r\n`)
    const ok = await cyswllt(['import', 'providers', '--file', good], env)
    expect(ok.stderr).not.toMatch(/providers:/)
    expect(ok.code).toBe(0)
    expect(ok.stdout).toBe(`Imported 2 new and updated 0 providers from ${good}.\n`)

    const bad = path.join(dir, 'bad.csv')
    fs.writeFileSync(bad, [
      PROVIDER_COLUMNS.join(','),
      'W06000008,C-1,Renamed,secondary,,,',
      'W06000099,C-3,Nowhere,primary,,,',
      'W06000008,C-4,School,primary,2025-02-29,,',
      'W06000008,C-3,Again,infant,,,',
    ].join('\n'))
    const refused = await cyswllt(['import', 'providers', '--file', bad], env)
    expect(refused.code).toBe(2)
    expect(refused.stdout).toBe('')
    const lines = refused.stderr.trimEnd().split('\n')
    expect(lines).toEqual([
      'cyswllt import providers: Row 3, authority_gss: there is no local authority with the code W06000099',
      'cyswllt import providers: Row 4, last_inspected_on: “2025-02-29” must be a real date in the format YYYY-MM-DD, or empty',
      expect.stringMatching(/^cyswllt import providers: Row 5, kind: “infant” is not a kind of provider/),
      'cyswllt import providers: Row 5, reference: C-3 is already on row 3: each provider may appear only once',
    ])

    // Nothing of the bad file was saved: not even its good first row.
    const database = await connectDatabase(loadConfig({ NODE_ENV: 'test', ...env }))
    try {
      const rows = await database.db.selectFrom('provider').select(['reference', 'name', 'kind', 'summary']).orderBy('reference').execute()
      expect(rows).toEqual([
        { reference: 'C-1', name: 'Ysgol Aberaeron, Ceredigion', kind: 'primary', summary: 'Two lines:\r\nstill one row' },
        { reference: 'C-2', name: 'Ysgol Treganna', kind: 'primary', summary: null },
      ])
    } finally {
      await database.close()
    }
  })
})
