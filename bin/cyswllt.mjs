#!/usr/bin/env node
// The `cyswllt` command. The app is TypeScript run through tsx with no build step, so this
// launcher registers tsx's loader in this same process (no second node to start) and hands over.
// src/cli.ts reads process.argv and sets process.exitCode itself.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli.ts')
