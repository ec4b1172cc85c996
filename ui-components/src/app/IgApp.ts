import { ContextProvider } from "@lit/context"
import { html, LitElement } from "lit"
import { IgnitionClient } from "../client/IgnitionClient.js"
import { clientContext, type SessionState } from "../context/contexts.js"
import { IgSignedInEvent, IgSignedOutEvent } from "../events/events.js"
import { styles } from "./app.styles.js"
import { SessionController } from "./SessionController.js"

/**
 * The root of an Ignition UI: connects to a server and provides that
 * connection and the session to every `<ig-*>` element inside it.
 *
 * @summary Provides the server connection and the session to the elements inside.
 * @slot - The application: any `<ig-*>` elements and markup.
 * @csspart - (none: it renders only its slot)
 * @cssprop --ig-color-bg - Page background.
 * @cssprop --ig-color-text - Text colour.
 * @fires ig-signed-out - When the server answers 401 (the session ended elsewhere).
 */
export class IgApp extends LitElement {
  static override styles = styles
  static override properties = {
    baseUrl: { attribute: "base-url", reflect: true },
  }

  /** The server's origin; the page's own origin when empty. */
  declare baseUrl: string

  readonly #clientProvider = new ContextProvider(this, { context: clientContext, initialValue: undefined })
  readonly #session = new SessionController(this, () => this.#clientProvider.value)

  constructor() {
    super()
    this.baseUrl = ""
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
    void this.#clientProvider.value?.dispose()
  }

  override willUpdate(changed: Map<string, unknown>): void {
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
