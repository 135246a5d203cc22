import { parseArgs } from 'node:util'

/** A mistake in how the command was called: reported in one line, exit code 2. */
export class UsageError extends Error {}

/** Where a command writes. Standard output carries results only, so scripts can capture them. */
export interface Io {
  out(text: string): void
  err(text: string): void
  /** The first line of standard input, or undefined when it is empty. */
  readLine(): Promise<string | undefined>
}

export interface OptionSpec {
  type: 'string' | 'boolean'
  /** Placeholder shown in help, e.g. `E` in `--email E`. */
  value?: string
  help: string
  required?: boolean
}

type Values<O extends Record<string, OptionSpec>> = {
  [K in keyof O]: O[K]['type'] extends 'boolean' ? boolean | undefined : O[K]['required'] extends true ? string : string | undefined
}

export interface Command<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  /** The words after `cyswllt`, e.g. `user add`. */
  name: string
  summary: string
  /** Paragraphs printed under the usage line by --help. */
  details?: string[]
  options: O
  examples?: string[]
  /** Returns the exit code. */
  run(values: Values<O>, io: Io): Promise<number>
}

/** Keeps the option types attached to `run`'s values. */
export function defineCommand<const O extends Record<string, OptionSpec>>(command: Command<O>): Command {
  return command as unknown as Command
}

export function usageLine(command: Command): string {
  const parts = Object.entries(command.options).map(([name, o]) => {
    const text = o.type === 'string' ? `--${name} ${o.value ?? 'VALUE'}` : `--${name}`
    return o.required ? text : `[${text}]`
  })
  return ['cyswllt', command.name, ...parts].join(' ')
}

export function helpText(command: Command): string {
  const rows = Object.entries(command.options).map(([name, o]) => [o.type === 'string' ? `--${name} ${o.value ?? 'VALUE'}` : `--${name}`, o.help + (o.required ? ' (required)' : '')] as const)
  rows.push(['--help', 'Show this help.'])
  const width = Math.max(...rows.map(([left]) => left.length))
  const lines = [`Usage: ${usageLine(command)}`, '', command.summary]
  for (const p of command.details ?? []) lines.push('', p)
  lines.push('', 'Options:', ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`))
  if (command.examples?.length) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`))
  return lines.join('\n')
}

interface NodeParseError extends Error { code?: string }

/** Turns node's parseArgs messages into one short sentence naming the option. */
function explainParseError(e: NodeParseError): string {
  const unknown = /Unknown option '([^']+)'/.exec(e.message)
  if (unknown) return `unknown option ${unknown[1]}`
  const missing = /Option '(-[^ ']+)(?: <value>)?' argument (missing|is ambiguous)/.exec(e.message)
  if (missing) return `${missing[1]!.replace(/^-(\w),\s*/, '')} needs a value`
  const noValue = /Option '(-[^ ']+)' does not take an argument/.exec(e.message)
  if (noValue) return `${noValue[1]} does not take a value`
  const positional = /Unexpected argument '([^']*)'/.exec(e.message)
  if (positional) return `unexpected argument "${positional[1]}"`
  return e.message
}

/** Parses strictly: unknown options, stray arguments and missing required options are usage errors. Undefined means --help was asked for. */
export function parseCommandArgs(command: Command, args: string[]): Record<string, string | boolean | undefined> | undefined {
  const options = Object.fromEntries(Object.entries(command.options).map(([name, o]) => [name, { type: o.type }]))
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }).values
  } catch (e) {
    const err = e as NodeParseError
    if (err.code?.startsWith('ERR_PARSE_ARGS')) throw new UsageError(explainParseError(err))
    throw e
  }
  if (values.help) return undefined
  const missing = Object.entries(command.options).filter(([name, o]) => o.required && values[name] === undefined).map(([name]) => `--${name}`)
  if (missing.length) throw new UsageError(`missing ${missing.join(' and ')}`)
  return values
}
