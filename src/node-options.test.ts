import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { SERVER_NODE_OPTIONS } from './node-options.ts'

describe('the Node.js options of the app server', () => {
  it('are the ones npm start passes', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }
    const start = pkg.scripts.start!.split(/\s+/)
    expect(start[0]).toBe('node')
    expect(start.slice(1, 1 + SERVER_NODE_OPTIONS.length)).toEqual(SERVER_NODE_OPTIONS)
    expect(start.slice(1 + SERVER_NODE_OPTIONS.length)).toEqual(['--import', 'tsx', 'src/server.ts'])
  })
})
