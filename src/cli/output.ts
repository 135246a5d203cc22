/**
 * Prints the first admin's sign-in details, once, on the console that started the app. The CLI
 * passes its standard-error writer so that a command's standard output stays only its result.
 */
export function printFirstAdmin(admin: { email: string; password: string | null }, write: (text: string) => void = console.log): void {
  const lines = [
    'First start: an administrator account was created.',
    `  E-mail:   ${admin.email}`,
    admin.password ? `  Password: ${admin.password}` : '  Password: the one given in CYSWLLT_ADMIN_PASSWORD',
    admin.password ? 'This password is shown only once. Sign in and keep it safe.' : '',
  ].filter(Boolean)
  write(lines.join('\n'))
}

/** A plain text table: a header row, then one line per row, columns padded to line up. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()
  return [line(headers), ...rows.map(line)].join('\n')
}
