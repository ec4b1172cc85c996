/**
 * The web app's shell: static sidebar navigation (a bottom tab bar on
 * narrow screens), the offline banner, and the current place. Places that
 * need a session send a signed-out visitor to sign-in and, once signed in,
 * back to where they were going.
 */
import {
  ClientController,
  type Command,
  IgNavigateEvent,
  IgSearchSelectEvent,
  IgSignedOutEvent,
  type SessionState,
  sessionContext,
} from "@ignition/ui-components"
import { ContextConsumer } from "@lit/context"
import { html, LitElement, nothing, type TemplateResult } from "lit"
import { ifDefined } from "lit/directives/if-defined.js"
import { publicRoutes, routeFor, routes } from "./routes.js"
import { styles } from "./shell.styles.js"

const signInPath = "/sign-in"

/** Where each kind of knowledge-base record is shown. */
const pageOf = { idea: "/ideas", infobase: "/infobase", journal: "/journal" } as const

export class IgWebShell extends LitElement {
  static override styles = styles
  static override properties = { path: { state: true }, search: { state: true } }

  declare path: string
  /** The query string (`?id=…` selects a record on the knowledge pages). */
  declare search: string
  /** Unused: the shell always talks to its own origin (ClientController needs the field). */
  declare baseUrl: string

  readonly #connection = new ClientController(this)

  readonly #session = new ContextConsumer(this, {
    context: sessionContext,
    subscribe: true,
    callback: (state) => (state.status === "signed-in" ? this.#leaveSignIn() : this.#guard()),
  })

  constructor() {
    super()
    this.path = window.location.pathname
    this.search = window.location.search
    this.baseUrl = ""
  }

  override connectedCallback(): void {
    super.connectedCallback()
    window.addEventListener("popstate", this.#popstate)
    this.addEventListener(IgNavigateEvent.type, this.#navigateEvent)
    this.addEventListener(IgSearchSelectEvent.type, this.#searchSelect)
    this.addEventListener("click", this.#linkClick)
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    window.removeEventListener("popstate", this.#popstate)
    this.removeEventListener(IgNavigateEvent.type, this.#navigateEvent)
    this.removeEventListener(IgSearchSelectEvent.type, this.#searchSelect)
    this.removeEventListener("click", this.#linkClick)
  }

  get #state(): SessionState {
    return this.#session.value ?? { status: "loading" }
  }

  navigate(path: string, replace = false): void {
    if (path === `${this.path}${this.search}`) return
    if (replace) window.history.replaceState(null, "", path)
    else window.history.pushState(null, "", path)
    const url = new URL(path, window.location.origin)
    this.path = url.pathname
    this.search = url.search
    this.#guard()
  }

  /** Signed out on a place that needs a session: go to sign-in, remembering where to come back. */
  #guard(): void {
    const state = this.#state
    const route = routeFor(this.path)
    if (
      state.status === "signed-out" &&
      (route === undefined || route.needsSession) &&
      !publicRoutes.includes(this.path)
    ) {
      const back = `${this.path}${window.location.search}`
      this.navigate(`${signInPath}?next=${encodeURIComponent(back)}`, true)
    }
  }

  readonly #popstate = () => {
    this.path = window.location.pathname
    this.search = window.location.search
    this.#guard()
  }

  readonly #navigateEvent = (event: IgNavigateEvent) => this.navigate(event.path)

  /** A search result opens its record on its kind's page. */
  readonly #searchSelect = (event: IgSearchSelectEvent) =>
    this.navigate(`${pageOf[event.record.type]}?id=${encodeURIComponent(event.record.id)}`)

  /** Signed in while on sign-in or sign-up: on to where the visitor was going. */
  #leaveSignIn(): void {
    if (this.path !== signInPath && this.path !== "/sign-up") return
    const next = new URLSearchParams(window.location.search).get("next")
    // Only a path on this origin: never send the user elsewhere.
    this.navigate(next?.startsWith("/") && !next.startsWith("//") ? next : "/", true)
  }

  /** Same-origin links inside the shell navigate without reloading. */
  readonly #linkClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return
    const anchor = event.composedPath().find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement)
    if (anchor === undefined || anchor.target !== "" || anchor.origin !== window.location.origin) return
    if (anchor.pathname.startsWith("/api/") || anchor.pathname.startsWith("/docs")) return
    event.preventDefault()
    this.navigate(`${anchor.pathname}${anchor.search}`)
  }

  readonly #signOut = async () => {
    await this.#connection.client.call((api) => api.auth.logout())
    this.dispatchEvent(new IgSignedOutEvent("sign-out"))
  }

  #visibleRoutes(state: SessionState) {
    const admin = state.status === "signed-in" && state.info.user.roles.includes("admin")
    return routes.filter((route) => admin || route.adminOnly !== true)
  }

  #commands(state: SessionState): ReadonlyArray<Command> {
    return [
      ...this.#visibleRoutes(state).map(
        (route): Command => ({ id: `go:${route.path}`, label: route.label, group: "Navigation", path: route.path }),
      ),
      { id: "sign-out", label: "Sign out", group: "Actions", keywords: ["log out", "leave"], run: this.#signOut },
    ]
  }

  /** The record a link or a search result points at (`?id=`). */
  #selected(): string | undefined {
    return new URLSearchParams(this.search).get("id") ?? undefined
  }

  /** Ideas, Infobase and Journal: the vault's state and a search over all three above the element. */
  #knowledgePage(title: string, element: TemplateResult) {
    return html`<h1>${title}</h1>
      <ig-vault-lock-banner></ig-vault-lock-banner>
      <ig-search-box></ig-search-box>
      ${element}`
  }

  #content() {
    const state = this.#state
    if (this.path === signInPath) {
      return html`<ig-sign-in></ig-sign-in>
        <p>New here? <a href=${`/sign-up${window.location.search}`}>Create an account</a>.</p>`
    }
    if (this.path === "/sign-up") {
      return html`<ig-sign-up></ig-sign-up>
        <p>Already have an account? <a href=${`/sign-in${window.location.search}`}>Sign in</a>.</p>`
    }
    if (state.status === "loading")
      return html`<div class="skeleton" role="status" aria-busy="true" aria-label="Loading"></div>`
    if (state.status === "unreachable") return html`<p role="alert">${state.message}</p>`
    if (state.status !== "signed-in") return nothing
    switch (this.path) {
      case "/":
        return html`<h1>Welcome, ${state.info.user.displayName}</h1>
          <p>You are signed in as ${state.info.user.email}.</p>`
      case "/ideas":
        return this.#knowledgePage("Ideas", html`<ig-ideas selected=${ifDefined(this.#selected())}></ig-ideas>`)
      case "/infobase":
        return this.#knowledgePage(
          "Infobase",
          html`<ig-infobase selected=${ifDefined(this.#selected())}></ig-infobase>`,
        )
      case "/journal":
        return this.#knowledgePage("Journal", html`<ig-journal selected=${ifDefined(this.#selected())}></ig-journal>`)
      case "/vault":
        return html`<h1>Vault</h1>
          <ig-vault-lock-banner></ig-vault-lock-banner>
          <ig-vault-settings></ig-vault-settings>`
      case "/conflicts":
        return html`<h1>Conflicts</h1>
          <ig-vault-lock-banner></ig-vault-lock-banner>
          <ig-conflicts></ig-conflicts>`
      case "/settings":
        return html`<h1>Settings</h1>
          <h2>Appearance</h2>
          <ig-theme-switcher></ig-theme-switcher>
          <h2>Passkeys</h2>
          <ig-passkeys></ig-passkeys>
          <h2>Signed-in devices</h2>
          <ig-account-sessions></ig-account-sessions>`
      case "/admin":
        return html`<h1>Administration</h1>
          <ig-admin-users></ig-admin-users>`
      default:
        return html`<h1>Not found</h1>
          <p>There is nothing at ${this.path}. <a href="/">Go home</a>.</p>`
    }
  }

  override render() {
    const state = this.#state
    const signedIn = state.status === "signed-in"
    const links = this.#visibleRoutes(state).map(
      (route) =>
        html`<a href=${route.path} aria-current=${route.path === this.path ? "page" : "false"}>${route.label}</a>`,
    )
    return html`
      <ig-offline-banner part="banner"></ig-offline-banner>
      <nav part="sidebar" aria-label="Main">
        <div part="brand">Ignition</div>
        ${signedIn ? links : nothing}
        ${signedIn ? html`<button part="sign-out" type="button" @click=${this.#signOut}>Sign out</button>` : nothing}
      </nav>
      <main part="content">${this.#content()}</main>
      ${signedIn ? html`<nav part="tabs" aria-label="Main (tabs)">${links}</nav>` : nothing}
      ${signedIn ? html`<ig-command-palette .commands=${this.#commands(state)}></ig-command-palette>` : nothing}
    `
  }
}

if (!customElements.get("ig-web-shell")) customElements.define("ig-web-shell", IgWebShell)

declare global {
  interface HTMLElementTagNameMap {
    "ig-web-shell": IgWebShell
  }
}
