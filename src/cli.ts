import { processIo, runCli } from './cli/run.ts'

// The `cyswllt` command (bin/cyswllt.mjs loads this through tsx). The exit status is set rather
// than forced with process.exit, so output still being written to a pipe is not cut off.
process.exitCode = await runCli(process.argv.slice(2), processIo)
