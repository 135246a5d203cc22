import readline from 'node:readline'
import { ConfigError } from '../config.ts'
import { AppError } from '../http/errors.ts'
import { I18n } from '../i18n/catalogue.ts'
import { helpText, parseCommandArgs, UsageError, type Command, type Io } from './command.ts'
import { describeAppError } from './context.ts'
import { migrate } from './migrate.ts'
import { userAdd, userDisable, userList } from './users.ts'
import { tokenCreate, tokenRevoke } from './tokens.ts'
import { backup } from './backup.ts'
import { restore } from './restore.ts'
import { importProviders } from './import.ts'
import { plan } from './plan.ts'
import { insights } from './insights.ts'
import { importBundle } from './import-bundle.ts'
import { schemaImport } from './schema.ts'

const COMMANDS: Command[] = [migrate, userAdd, userList, userDisable, tokenCreate, tokenRevoke, backup, restore, importBundle, importProviders, plan, schemaImport, insights]

/** Which option a service's error detail is about, so the message can name it. */
const OPTION_FOR: Record<string, string> = {
  email: '--email', name: '--name', role: '--role', authorityCode: '--authority', password: '--password-stdin',
}

const GROUPS: Record<string, string> = {
  user: 'Manage user accounts.',
  token: 'Manage API tokens.',
  import: 'Import data from files.',
  schema: 'Print the JSON Schema of a file format Cyswllt reads.',
}

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return [
    'Usage: cyswllt <command> [options]',
    '',
    'Looks after a Cyswllt installation from the command line. Uses the same settings as the server:',
    'DATA_DIR (the SQLite database\'s folder, ./data by default) or DATABASE_URL (PostgreSQL).',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "cyswllt <command> --help" for a command\'s options.',
    'Exit status: 0 done, 1 something went wrong while running, 2 the command or its input was refused (plan: 3 when no plan keeps every rule).',
  ].join('\n')
}

function groupHelp(group: string): string {
  const commands = COMMANDS.filter((c) => c.name.startsWith(`${group} `))
  // A group that is also a command of its own takes a file in place of a subcommand (`cyswllt import FILE.json`).
  const own = COMMANDS.find((c) => c.name === group)
  const width = Math.max(...commands.map((c) => c.name.length), own ? `${group} FILE`.length : 0)
  return [
    `Usage: cyswllt ${group} <${commands.map((c) => c.name.split(' ')[1]).join('|')}${own ? '|FILE' : ''}> [options]`,
    '',
    GROUPS[group]!,
    '',
    'Commands:',
    ...(own ? [`  ${`${group} FILE`.padEnd(width)}  ${own.summary}`] : []),
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Run "cyswllt ${group} <command> --help" for a command's options.`,
  ].join('\n')
}

const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h' || arg === 'help'

/** Finds the command named by the first words of argv; undefined when help was what was asked for. */
function resolve(argv: string[], io: Io): { command: Command; args: string[] } | undefined {
  const [first, second] = argv
  if (first === undefined) throw new UsageError('say which command to run, e.g. "cyswllt user list"; "cyswllt --help" lists them all')
  if (isHelp(first)) {
    io.out(mainHelp())
    return undefined
  }
  if (first in GROUPS) {
    if (isHelp(second)) {
      io.out(groupHelp(first))
      return undefined
    }
    const subs = COMMANDS.filter((c) => c.name.startsWith(`${first} `)).map((c) => c.name.split(' ')[1]!)
    const own = COMMANDS.find((c) => c.name === first)
    if (second === undefined) throw new UsageError(`say which ${first} command to run: ${subs.join(', ')}${own ? `, or which file: "cyswllt ${first} FILE"` : ''}`)
    const command = COMMANDS.find((c) => c.name === `${first} ${second}`)
    if (command) return { command, args: argv.slice(2) }
    // Not one of its subcommands: a group that is a command of its own takes the word as its file.
    if (own) return { command: own, args: second.startsWith('-') ? argv.slice(1) : ['--file', second, ...argv.slice(2)] }
    throw new UsageError(`unknown command "${first} ${second}"; the ${first} commands are ${subs.join(', ')}`)
  }
  const command = COMMANDS.find((c) => c.name === first)
  if (!command) {
    const names = [...new Set(COMMANDS.map((c) => c.name.split(' ')[0]))]
    throw new UsageError(first.startsWith('-') ? `unknown option ${first}` : `unknown command "${first}"; the commands are ${names.join(', ')}`)
  }
  return { command, args: argv.slice(1) }
}

/** Runs one command line and returns the exit status: 0 done, 1 failed while running, 2 refused. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  let name = 'cyswllt'
  try {
    const found = resolve(argv, io)
    if (!found) return 0
    name = `cyswllt ${found.command.name}`
    const values = parseCommandArgs(found.command, found.args)
    if (!values) {
      io.out(helpText(found.command))
      return 0
    }
    // parseCommandArgs has checked every required option, which is what the command's types promise.
    return await found.command.run(values as Parameters<Command['run']>[0], io)
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${name}: ${e.message}. See "${name} --help".`.replace('.. See', '. See'))
      return 2
    }
    if (e instanceof AppError) {
      // The service refused what was asked (invalid input, no such user...): the caller's to fix.
      for (const line of describeAppError(e, new I18n(), OPTION_FOR)) io.err(`${name}: ${line}`)
      return 2
    }
    if (e instanceof ConfigError) {
      io.err(`${name}: the configuration is not valid: ${e.message}`)
      return 1
    }
    io.err(`${name}: failed: ${e instanceof Error ? e.message : String(e)}`)
    return 1
  }
}

/** The real terminal: standard output, standard error and standard input. */
export const processIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  async readLine() {
    if (process.stdin.isTTY) process.stderr.write('Password (shown as you type), then Enter: ')
    const lines = readline.createInterface({ input: process.stdin, terminal: false })
    try {
      for await (const line of lines) return line
      return undefined
    } finally {
      lines.close()
    }
  },
}
