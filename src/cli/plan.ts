import fs from 'node:fs'
import path from 'node:path'
import { defineCommand, UsageError } from './command.ts'

/** A plan input for 150 authorities and 200 inspectors is well under a megabyte. */
const MAX_INPUT_BYTES = 16 * 1024 * 1024

export const plan = defineCommand({
  name: 'plan',
  summary: 'Plan ELVs and their teams from a JSON file, and print the plan as JSON (writes nothing).',
  details: [
    'The input names the terms (in order), the first term that can still be planned, the authorities (core inspection term, ELVs done, Welsh-medium), the inspectors (HMI or peer, Welsh speaker, link inspector for, most ELVs a term, unavailable terms) and, optionally, the rules (any left out take their defaults). docs/planning.md describes every field.',
    'The plan keeps every rule and balances the load: fewest ELVs in the busiest term, then fewest for the busiest inspector, with the link inspector leading. "status" says whether it is proven optimal. Nothing is written to the database: accepting a plan is done in Cyswllt.',
    'Exit status: 0 a plan was found; 3 no plan keeps every rule (the JSON is still printed, and "conflicts" names the rules that cannot be kept together); 2 the input is not valid (every bad field is named by its path); 1 no answer within the time limit.',
  ],
  options: {
    input: { type: 'string', value: 'FILE', help: 'The plan input, a JSON file.', required: true },
    'time-limit': { type: 'string', value: 'SECONDS', help: 'Stop searching after this long and print the best plan found (default 60).' },
  },
  examples: ['cyswllt plan --input programme.json > plan.json'],
  async run(values, io) {
    const file = path.resolve(values.input)
    const timeLimit = values['time-limit'] === undefined ? 60 : Number(values['time-limit'])
    if (!Number.isFinite(timeLimit) || timeLimit <= 0) throw new UsageError(`--time-limit must be a number of seconds above 0, not "${values['time-limit']}"`)
    let text: string
    try {
      const size = fs.statSync(file).size
      if (size > MAX_INPUT_BYTES) throw new UsageError(`${file} is ${(size / 1024 / 1024).toFixed(1)} MB: a plan input is at most ${MAX_INPUT_BYTES / 1024 / 1024} MB`)
      text = fs.readFileSync(file, 'utf8')
    } catch (e) {
      if (e instanceof UsageError) throw e
      const code = (e as NodeJS.ErrnoException).code
      throw new UsageError(code === 'ENOENT' ? `there is no file ${file}` : code === 'EISDIR' ? `${file} is a folder, not a file` : `cannot read ${file}: ${code ?? String(e)}`)
    }
    let json: unknown
    try {
      json = JSON.parse(text.replace(/^\uFEFF/, ''))
    } catch (e) {
      throw new UsageError(`${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`)
    }
    // Loaded here so that --help and refused arguments answer without loading the solver.
    const [{ parsePlanRequest, describeProblems }, { solvePlan }] = await Promise.all([
      import('../modules/planning/plan.input.ts'), import('../modules/planning/planner.ts'),
    ])
    const parsed = parsePlanRequest(json)
    if (!parsed.ok) {
      io.err(describeProblems(parsed.problems))
      return 2
    }
    const result = await solvePlan(parsed.input, { timeLimitSeconds: timeLimit })
    io.out(JSON.stringify(result, null, 2))
    if (result.status === 'infeasible') {
      io.err(`No plan keeps every rule:\n${result.conflicts.map((c) => `  ${c.rule}: ${c.message}`).join('\n')}`)
      return 3
    }
    return 0
  },
})
