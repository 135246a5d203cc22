/**
 * The Node.js options the app server runs with: `npm start` passes these (package.json), and the
 * benchmark and the tests that start real server processes do the same, so what they measure is
 * what runs (src/node-options.test.ts checks package.json agrees).
 *
 * --max-semi-space-size=4: V8's young generation grows to 16 MiB a semi-space by default, and a
 * server's resident memory with it, for little gain once most pages come from the page cache;
 * at 4 MiB the server stays well under 300 MiB after the benchmark's load test.
 */
export const SERVER_NODE_OPTIONS = ['--max-semi-space-size=4']
