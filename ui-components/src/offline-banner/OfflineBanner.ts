import { html, LitElement, nothing } from "lit"
import { OnlineController } from "../controllers/OnlineController.js"
import { styles } from "./offline-banner.styles.js"

/**
 * Says when the browser is offline, and how many changes wait to be sent
 * (fed by the sync engine through the `queued` property). Hidden while
 * online with nothing queued.
 *
 * @summary Offline state and the count of queued changes.
 * @csspart banner - The notice.
 * @cssprop --ig-color-surface-raised - The notice's background.
 * @cssprop --ig-color-border - Its bottom border.
 */
export class IgOfflineBanner extends LitElement {
  static override styles = styles
  static override properties = { queued: { type: Number } }

  /** Changes made here that the server has not received yet. */
  declare queued: number

  readonly #online = new OnlineController(this)

  constructor() {
    super()
    this.queued = 0
  }

  override render() {
    const online = this.#online.online
    if (online && this.queued === 0) return nothing
    const waiting =
      this.queued === 0 ? "" : ` ${this.queued} change${this.queued === 1 ? "" : "s"} will be sent when you reconnect.`
    return html`<div part="banner" role="status">
      ${online ? `Sending ${this.queued} change${this.queued === 1 ? "" : "s"}…` : `You are offline.${waiting}`}
    </div>`
  }
}
