import { ContextProvider } from "@lit/context"
import { Duration } from "effect"
import { html, LitElement } from "lit"
import { IgnitionClient } from "../client/IgnitionClient.js"
import { clientContext, type SessionState } from "../context/contexts.js"
import { IgSignedInEvent, IgSignedOutEvent } from "../events/events.js"
import { AutoLockController } from "../vault/AutoLockController.js"
import { styles } from "./app.styles.js"
import { SessionController } from "./SessionController.js"
import { VaultProvider } from "./VaultProvider.js"

/**
 * The root of an Ignition UI: connects to a server and provides that
 * connection and the session to every `<ig-*>` element inside it.
 *
 * @summary Provides the server connection and the session to the elements inside.
 * @slot - The application: any `<ig-*>` elements and markup.
 * @csspart - (none: it renders only its slot)
 * It also provides the signed-in user's vault and runs its auto-lock: idle
 * (`vault-idle-minutes`), the page hidden (unless `vault-keep-when-hidden`),
 * and a poll of the server's lock state every `vault-poll-seconds`.
 *
 * @cssprop --ig-color-bg - Page background.
 * @cssprop --ig-color-text - Text colour.
 * @fires ig-signed-out - When the server answers 401 (the session ended elsewhere).
 */
export class IgApp extends LitElement {
  static override styles = styles
  static override properties = {
    baseUrl: { attribute: "base-url", reflect: true },
    vaultIdleMinutes: { attribute: "vault-idle-minutes", type: Number },
    vaultKeepWhenHidden: { attribute: "vault-keep-when-hidden", type: Boolean },
    vaultPollSeconds: { attribute: "vault-poll-seconds", type: Number },
  }

  /** The server's origin; the page's own origin when empty. */
  declare baseUrl: string
  /** Idle minutes after which the vault locks (10 by default). */
  declare vaultIdleMinutes: number
  /** Keep the vault unlocked while the page is hidden (it locks by default). */
  declare vaultKeepWhenHidden: boolean
  /** How often to ask the server whether the vault was locked elsewhere, in seconds (30 by default). */
  declare vaultPollSeconds: number

  readonly #clientProvider = new ContextProvider(this, { context: clientContext, initialValue: undefined })
  readonly #vault = new VaultProvider(
    this,
    () => this.#clientProvider.value,
    () => ({
      idleTimeout: Duration.minutes(this.vaultIdleMinutes),
      lockWhenHidden: !this.vaultKeepWhenHidden,
    }),
  )
  readonly #session = new SessionController(
    this,
    () => this.#clientProvider.value,
    (state) => this.#vault.follow(state),
  )
  readonly #autoLock = new AutoLockController(
    this,
    () => this.#vault.session,
    () => this.vaultPollSeconds * 1000,
  )

  constructor() {
    super()
    this.baseUrl = ""
    this.vaultIdleMinutes = 10
    this.vaultKeepWhenHidden = false
    this.vaultPollSeconds = 30
  }

  /** The session as last known. */
  get session(): SessionState {
    return this.#session.state
  }

  override connectedCallback(): void {
    super.connectedCallback()
    this.addEventListener(IgSignedInEvent.type, this.#signedIn)
    this.addEventListener(IgSignedOutEvent.type, this.#signedOut)
    window.addEventListener("online", this.#online)
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    this.removeEventListener(IgSignedInEvent.type, this.#signedIn)
    this.removeEventListener(IgSignedOutEvent.type, this.#signedOut)
    window.removeEventListener("online", this.#online)
    this.#vault.dispose()
    void this.#clientProvider.value?.dispose()
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has("vaultPollSeconds") && this.isConnected) this.#autoLock.restart()
    if (changed.has("baseUrl") || this.#clientProvider.value === undefined) {
      void this.#clientProvider.value?.dispose()
      this.#clientProvider.setValue(new IgnitionClient(this.baseUrl || window.location.origin))
    }
  }

  readonly #signedIn = (event: IgSignedInEvent) => this.#session.set({ status: "signed-in", info: event.session })
  readonly #signedOut = (event: IgSignedOutEvent) => this.#session.set({ status: "signed-out", reason: event.reason })
  readonly #online = () => this.#session.refresh()

  override render() {
    return html`<slot></slot>`
  }
}
