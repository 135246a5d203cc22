/** Prints the first admin's sign-in details, once, on the console that started the app. */
export function printFirstAdmin(admin: { email: string; password: string | null }): void {
  const lines = [
    'First start: an administrator account was created.',
    `  E-mail:   ${admin.email}`,
    admin.password ? `  Password: ${admin.password}` : '  Password: the one given in CYSWLLT_ADMIN_PASSWORD',
    admin.password ? 'This password is shown only once. Sign in and keep it safe.' : '',
  ].filter(Boolean)
  console.log(lines.join('\n'))
}
