// Preloaded into the server under load test (`node --expose-gc --import this-file ...`): on
// SIGUSR2 it runs a full garbage collection and writes one line, `memory-probe {json}`, with
// the memory left in use. The server's own code is unchanged; without a full collection the
// resident size mostly says how lazily V8 collects, not what is kept.
process.on('SIGUSR2', () => {
  if (typeof globalThis.gc !== 'function') throw new Error('memory-probe needs node --expose-gc')
  // Twice: the first collection may leave garbage that finalisers of the first freed.
  globalThis.gc()
  globalThis.gc()
  const m = process.memoryUsage()
  process.stderr.write(`memory-probe ${JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external })}\n`)
})
