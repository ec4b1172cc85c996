import { html, LitElement, nothing } from "lit"
import { OnlineController } from "../controllers/OnlineController.js"
import { SyncController } from "../sync/SyncController.js"
import { styles } from "./offline-banner.styles.js"

/**
 * Says when this device is offline, and how many changes wait to be sent.
 * Inside `<ig-app>` with a user signed in, both come from the sync engine:
 * the outbox count (changes stored here that the server has not confirmed)
 * and whether its last request reached the server, besides the browser's
 * own online state. Without a signed-in user, `queued` sets the count.
 * Hidden while online with nothing queued.
 *
 * @summary Offline state and the count of queued changes.
 * @csspart banner - The notice.
 * @cssprop --ig-color-surface-raised - The notice's background.
 * @cssprop --ig-color-border - Its bottom border.
 */
export class IgOfflineBanner extends LitElement {
  static override styles = styles
  static override properties = { queued: { type: Number } }

  /** Changes made here that the server has not received yet, when no sync engine runs (signed out, or no `<ig-app>`). */
  declare queued: number

  readonly #online = new OnlineController(this)
  readonly #sync = new SyncController(this)

  constructor() {
    super()
    this.queued = 0
  }

  override render() {
    const status = this.#sync.session?.status
    const online = this.#online.online && (status?.online ?? true)
    const queued = status?.outbox ?? this.queued
    if (online && queued === 0) return nothing
    const changes = `${queued} change${queued === 1 ? "" : "s"}`
    const waiting = queued === 0 ? "" : ` ${changes} will be sent when you reconnect.`
    return html`<div part="banner" role="status" data-queued=${queued}>
      ${online ? `Sending ${changes}…` : `You are offline.${waiting}`}
    </div>`
  }
}
