/**
 * Page objects: how a person finds things on each page (labels, headings, button text), so the
 * specs read as what someone does and a markup change is fixed in one place. Every navigation
 * goes through `visit` or `submitAndCheck`, so every page a test reaches is checked with axe.
 * The pages are server-rendered, so once a navigation has loaded, the DOM is complete.
 */
import type { Locator, Page } from 'playwright-core'
import { submitAndCheck, visit } from './harness.ts'

/** What every page has: the layout's header, navigation, language switch and messages. */
export class AppPage {
  constructor(readonly page: Page) {}

  heading(): Locator {
    return this.page.locator('main h1')
  }

  async headingText(): Promise<string> {
    return (await this.heading().innerText()).trim()
  }

  async htmlLang(): Promise<string | null> {
    return this.page.locator('html').getAttribute('lang')
  }

  /** The service navigation's link texts, in order (empty when signed out). */
  async navigationItems(): Promise<string[]> {
    const links = this.page.locator('.govuk-service-navigation__list a.govuk-service-navigation__link')
    return (await links.allInnerTexts()).map((s) => s.trim())
  }

  signOutButton(): Locator {
    return this.page.getByRole('button', { name: 'Sign out', exact: true })
  }

  async signOut(): Promise<void> {
    await submitAndCheck(this.page, () => this.signOutButton().click())
  }

  /** Follows "Cymraeg" or "English" in the language navigation. */
  async switchLanguage(to: 'Cymraeg' | 'English'): Promise<void> {
    const link = this.page.locator('.govuk-language-navigation a', { hasText: to })
    await submitAndCheck(this.page, () => link.click())
  }

  /** The GOV.UK error summary ("There is a problem"). */
  errorSummary(): Locator {
    return this.page.locator('.govuk-error-summary')
  }

  async errorSummaryTitle(): Promise<string> {
    return (await this.errorSummary().locator('.govuk-error-summary__title').innerText()).trim()
  }

  /** Each error in the summary with the href it links to. */
  async errorSummaryLinks(): Promise<Array<{ text: string; href: string | null }>> {
    const links = this.errorSummary().locator('.govuk-error-summary__list a')
    const out: Array<{ text: string; href: string | null }> = []
    for (const link of await links.all()) out.push({ text: (await link.innerText()).trim(), href: await link.getAttribute('href') })
    return out
  }

  successBanner(): Locator {
    return this.page.locator('.govuk-notification-banner--success')
  }
}

export class SignInPage extends AppPage {
  async open(): Promise<this> {
    await visit(this.page, '/sign-in')
    return this
  }

  email(): Locator {
    return this.page.getByLabel('E-mail address', { exact: true })
  }

  password(): Locator {
    return this.page.getByLabel('Password', { exact: true })
  }

  /** Fills the form and signs in; the next page (home, or the form again with errors) is axe-checked. */
  async signIn(email: string, password: string): Promise<void> {
    await this.email().fill(email)
    await this.password().fill(password)
    await submitAndCheck(this.page, () => this.page.getByRole('button', { name: 'Sign in', exact: true }).click())
  }
}

export class HomePage extends AppPage {
  async open(): Promise<this> {
    await visit(this.page, '/')
    return this
  }
}

export class UsersPage extends AppPage {
  async open(): Promise<this> {
    await visit(this.page, '/admin/users')
    return this
  }

  /** "Create a user" is a link (or a link styled as a button) to the new-user form. */
  async startCreate(): Promise<CreateUserPage> {
    const link = this.page.getByRole('link', { name: 'Create a user' }).or(this.page.getByRole('button', { name: 'Create a user' }))
    await submitAndCheck(this.page, () => link.first().click())
    return new CreateUserPage(this.page)
  }
}

export interface NewUser { email: string; name: string; role: 'Administrator' | 'Reviewer' | 'HMI' | 'Peer inspector' | 'Local authority'; password?: string }

export class CreateUserPage extends AppPage {
  email(): Locator {
    return this.page.getByLabel('E-mail address', { exact: true })
  }

  name(): Locator {
    return this.page.getByLabel('Full name', { exact: true })
  }

  password(): Locator {
    return this.page.getByLabel('Password (optional)', { exact: true })
  }

  role(label: NewUser['role']): Locator {
    return this.page.getByRole('radio', { name: label, exact: true })
  }

  async fill(user: NewUser): Promise<void> {
    await this.email().fill(user.email)
    await this.name().fill(user.name)
    await this.role(user.role).check()
    if (user.password !== undefined) await this.password().fill(user.password)
  }

  async submit(): Promise<void> {
    await submitAndCheck(this.page, () => this.page.getByRole('button', { name: 'Create user', exact: true }).click())
  }
}
