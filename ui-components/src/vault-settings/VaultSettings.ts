import type { CryptoPolicyApi, VaultApi } from "@ignition/api"
import { DateTime } from "effect"
import { html, LitElement, nothing } from "lit"
import { ifDefined } from "lit/directives/if-defined.js"
import { ClientController } from "../controllers/ClientController.js"
import { formError } from "../internal/fields.js"
import { MIN_LENGTH } from "../vault/strength.js"
import {
  describeKdf,
  lockReasonText,
  type PolicyView,
  unlockMethods,
  VaultSettingsController,
} from "./VaultSettingsController.js"
import { styles } from "./vault-settings.styles.js"

const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" })

const at = (time: DateTime.Utc) =>
  html`<time datetime=${DateTime.formatIso(time)}>${absolute.format(DateTime.toDate(time))}</time>`

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`

/**
 * The vault panel of the settings page: whether the vault is locked on this
 * device (and "Lock now"), the crypto policy its passphrase wrap was made
 * under next to the instance's current one (with a note when the wrap will
 * be upgraded at the next unlock), the ways it can be unlocked, a form to
 * change the passphrase, "Add a passkey for unlocking", and the recovery
 * codes (`<ig-recovery-codes>`, inside). Changes need the vault unlocked:
 * while it is locked the panel says so (unlocking is the page's
 * `<ig-vault-lock-banner>`'s job), and a user without a vault is told so.
 * It uses the vault `<ig-app>` provides.
 *
 * @summary Vault settings: lock state, crypto policy, passphrase, passkey unlock, recovery codes.
 * @fires ig-signed-out - The session had ended ("expired").
 * @slot heading - Replaces the "Vault" heading.
 * @csspart section - The whole element's content.
 * @csspart heading - The heading.
 * @csspart skeleton - The placeholder shown while the vault loads.
 * @csspart skeleton-row - One placeholder row.
 * @csspart status - The (visually hidden) live status.
 * @csspart error - The vault could not be loaded, with a retry.
 * @csspart retry - A retry button.
 * @csspart signed-out - Shown when nobody is signed in.
 * @csspart unavailable - Shown when the page provides no vault (no `<ig-app>`).
 * @csspart absent - Shown when the user has no vault yet.
 * @csspart must-set-passphrase - After unlocking with a recovery code: a new passphrase comes first.
 * @csspart panel - One part of the settings (lock, protection, unlock methods, passphrase, passkey).
 * @csspart subheading - A panel's heading.
 * @csspart lock-state - The lock state and "Lock now".
 * @csspart state - "Unlocked on this device" or "Locked".
 * @csspart lock-reason - Why and when the vault locked.
 * @csspart lock - The "Lock now" button.
 * @csspart lock-error - Why locking failed.
 * @csspart needs-unlock - What unlocking the vault would allow.
 * @csspart policy - The crypto policies: the vault's and the instance's.
 * @csspart policy-row - One policy line.
 * @csspart policy-term - Its label.
 * @csspart policy-value - Its version and key derivation ("v2 · Argon2id · 64 MiB · 3 passes").
 * @csspart policy-upgrade - The note that the wrap is upgraded at the next unlock.
 * @csspart policy-error - The policies could not be loaded, with a retry.
 * @csspart policy-loading - Shown while the policies load.
 * @csspart methods - The ways the vault can be unlocked.
 * @csspart method - One way, with its count.
 * @csspart method-name - Its name.
 * @csspart method-count - How many there are.
 * @csspart passphrase - The form that changes the passphrase.
 * @csspart field - A field of the form: its label, input and error.
 * @csspart label - A field's label.
 * @csspart input - A field's input.
 * @csspart field-error - Why a field's value was refused.
 * @csspart strength - The new passphrase's strength meter and its advice.
 * @csspart hint - What makes a good passphrase.
 * @csspart submit - The "Change passphrase" button.
 * @csspart form-error - Why the passphrase could not be changed (with a retry after a network failure).
 * @csspart passphrase-done - Confirms the new passphrase.
 * @csspart passkey-note - Which passkeys can unlock the vault.
 * @csspart add-passkey - The "Add a passkey for unlocking" button.
 * @csspart passkey-error - Why no passkey was added.
 * @csspart passkey-done - Confirms the new passkey.
 * @csspart recovery-codes - The `<ig-recovery-codes>` element inside.
 * @cssprop --ig-color-border - Panel borders.
 * @cssprop --ig-color-danger - Errors.
 * @cssprop --ig-color-success - The "unlocked" state.
 * @cssprop --ig-color-accent - Notes that need attention.
 * @cssprop --ig-color-text-muted - Secondary text.
 * @cssprop --ig-font-mono - The recovery codes' typeface (inside `<ig-recovery-codes>`).
 */
export class IgVaultSettings extends LitElement {
  static override styles = styles
  static override properties = { baseUrl: { attribute: "base-url" } }

  /** The server's origin, when the element is used without `<ig-app>` (the vault itself comes from `<ig-app>`). */
  declare baseUrl: string

  readonly #connection = new ClientController(this)
  readonly #settings = new VaultSettingsController(this, () => this.#connection.client)

  constructor() {
    super()
    this.baseUrl = ""
  }

  readonly #lock = async () => {
    await this.#settings.lockNow()
    await this.updateComplete
    // The button went away with the unlocked state: focus stays on what changed.
    this.renderRoot.querySelector<HTMLElement>('[part~="state"]')?.focus()
  }

  readonly #changePassphrase = async (event?: Event) => {
    event?.preventDefault()
    const changed = await this.#settings.changePassphrase()
    await this.updateComplete
    const target = changed
      ? '[part~="passphrase-done"]'
      : 'input[aria-invalid="true"], [part~="form-error"] [part~="retry"]'
    this.renderRoot.querySelector<HTMLElement>(target)?.focus()
  }

  #lockPanel(state: {
    readonly status: "locked" | "unlocked"
    readonly info: VaultApi.VaultInfo
    reason?: string | null
  }) {
    const settings = this.#settings
    const step = settings.lockStep
    if (state.status === "unlocked") {
      return html`<div part="panel lock-state" data-state="unlocked">
        <p part="state" tabindex="-1"><strong>Unlocked on this device.</strong></p>
        <p part="lock-reason">It locks by itself after a while without activity, and when you sign out.</p>
        <button
          part="lock"
          type="button"
          aria-disabled=${step._tag === "Working" ? "true" : "false"}
          aria-describedby=${ifDefined(step._tag === "Failed" ? "lock-error" : undefined)}
          @click=${this.#lock}
        >
          ${step._tag === "Working" ? "Locking…" : "Lock now"}
        </button>
        ${
          step._tag === "Failed"
            ? html`<p part="lock-error" class="form-error" id="lock-error" role="alert">
              The vault could not be locked: ${step.message}
            </p>`
            : nothing
        }
      </div>`
    }
    const reason = lockReasonText(state.reason ?? state.info.lock.reason)
    const lockedAt = state.info.lock.lockedAt
    return html`<div part="panel lock-state" data-state="locked">
      <p part="state" tabindex="-1"><strong>Locked.</strong></p>
      ${
        reason === undefined && lockedAt === null
          ? nothing
          : html`<p part="lock-reason">
            ${reason ?? nothing} ${lockedAt === null ? nothing : html`Locked since ${at(lockedAt)}.`}
          </p>`
      }
      <p part="needs-unlock">
        Unlock your vault to change its passphrase, add a passkey that unlocks it, or make new recovery codes.
      </p>
    </div>`
  }

  #policyValue(policies: CryptoPolicyApi.CryptoPolicies, version: number) {
    const policy = policies.policies.find((candidate) => candidate.version === version)
    return policy === undefined ? `v${version}` : `v${version} · ${describeKdf(policy.kdf)}`
  }

  #policyPanel(info: VaultApi.VaultInfo, view: PolicyView) {
    const settings = this.#settings
    const body = (() => {
      switch (view._tag) {
        case "Loading":
          return html`<p part="policy-loading">Loading this server's crypto policy…</p>`
        case "Failed":
          return html`<div part="policy-error" role="alert">
            The crypto policy could not be loaded: ${view.message}
            <button part="retry" type="button" @click=${() => settings.reloadPolicies()}>Try again</button>
          </div>`
        case "Ready": {
          const current = view.policies.current
          const older = info.policyVersion < current.version
          return html`<dl part="policy">
              <div part="policy-row">
                <dt part="policy-term">Your passphrase is protected with</dt>
                <dd part="policy-value">${this.#policyValue(view.policies, info.policyVersion)}</dd>
              </div>
              <div part="policy-row">
                <dt part="policy-term">This server's current policy</dt>
                <dd part="policy-value">v${current.version} · ${describeKdf(current.kdf)}</dd>
              </div>
            </dl>
            ${
              older
                ? html`<p part="policy-upgrade" role="note">
                  Your vault's passphrase wrap was made under an older policy (v${info.policyVersion}). It is
                  re-made under v${current.version} the next time you unlock with your passphrase — or now, if
                  you change your passphrase.
                </p>`
                : nothing
            }
            ${
              view.refreshError === undefined
                ? nothing
                : html`<div part="policy-error" role="alert">
                  The crypto policy could not be refreshed: ${view.refreshError}
                  <button part="retry" type="button" @click=${() => settings.reloadPolicies()}>Try again</button>
                </div>`
            }`
        }
      }
    })()
    return html`<section part="panel" aria-labelledby="policy-heading">
      <h3 part="subheading" id="policy-heading">Protection</h3>
      <p>
        Your private content is end-to-end encrypted: only your devices, once the vault is unlocked, can read it.
        The passphrase is stretched with this key derivation before it opens the vault.
      </p>
      ${body}
    </section>`
  }

  #methodsPanel(info: VaultApi.VaultInfo) {
    const methods = unlockMethods(info)
    const rows = [
      ["Passphrase", methods.passphrase === 0 ? "None" : "Set"],
      ["Passkeys", methods.passkey === 0 ? "None" : plural(methods.passkey, "passkey", "passkeys")],
      ["Recovery codes", methods.recoveryCode === 0 ? "None" : plural(methods.recoveryCode, "code", "codes")],
    ] as const
    return html`<section part="panel" aria-labelledby="methods-heading">
      <h3 part="subheading" id="methods-heading">Ways to unlock</h3>
      <dl part="methods">
        ${rows.map(
          ([name, count]) => html`<div part="method">
            <dt part="method-name">${name}</dt>
            <dd part="method-count">${count}</dd>
          </div>`,
        )}
      </dl>
    </section>`
  }

  #passphrasePanel(mustSet: boolean) {
    const settings = this.#settings
    const form = settings.passphraseForm
    return html`<section part="panel" aria-labelledby="passphrase-heading">
      <h3 part="subheading" id="passphrase-heading">${mustSet ? "Choose a new passphrase" : "Change passphrase"}</h3>
      <form part="passphrase" novalidate @submit=${this.#changePassphrase}>
        ${settings.passphrase.fields(form, "New passphrase")}
        <p part="hint">
          At least ${MIN_LENGTH} characters, and strong enough not to be guessed. Nobody — not this server's
          administrators either — can reset it for you: keep it safe, and keep your recovery codes.
        </p>
        <button part="submit" type="submit" data-variant="primary" ?disabled=${form.pending}>
          ${form.pending ? "Changing the passphrase…" : mustSet ? "Set the new passphrase" : "Change passphrase"}
        </button>
        ${formError(form, () => void this.#changePassphrase())}
      </form>
      <p part="passphrase-done" role="status" tabindex="-1">
        ${settings.passphraseChanged ? "Your passphrase was changed: use the new one from now on." : ""}
      </p>
    </section>`
  }

  #passkeyPanel(blocked: boolean) {
    const settings = this.#settings
    const step = settings.passkeyStep
    const working = step._tag === "Working"
    return html`<section part="panel" aria-labelledby="passkey-heading">
      <h3 part="subheading" id="passkey-heading">Passkey unlock</h3>
      <p part="passkey-note" id="passkey-note">
        A passkey whose authenticator supports the WebAuthn PRF extension (most synced passkeys and recent security
        keys) can unlock your vault instead of the passphrase.
      </p>
      <button
        part="add-passkey"
        type="button"
        aria-disabled=${blocked || working ? "true" : "false"}
        aria-describedby=${step._tag === "Failed" ? "passkey-note passkey-error" : "passkey-note"}
        @click=${() => {
          if (!blocked && !working) void settings.addPasskey()
        }}
      >
        ${working ? "Waiting for your passkey…" : "Add a passkey for unlocking"}
      </button>
      ${
        step._tag === "Failed"
          ? html`<p part="passkey-error" class="form-error" id="passkey-error" role="alert">
            No passkey was added: ${step.message}
          </p>`
          : nothing
      }
      <p part="passkey-done" role="status">
        ${step._tag === "Done" ? "Passkey added: it can unlock your vault now." : ""}
      </p>
    </section>`
  }

  #vault() {
    const settings = this.#settings
    const state = settings.vault.state
    switch (state.status) {
      case "loading":
        return html`<div part="skeleton" aria-hidden="true">
          ${Array.from({ length: 3 }, () => html`<div part="skeleton-row"></div>`)}
        </div>`
      case "unreachable":
        return html`<div part="error" role="alert">
          Your vault could not be loaded: ${state.message}
          <button part="retry" type="button" @click=${() => void settings.retryVault()}>Try again</button>
        </div>`
      case "absent":
        return html`<p part="absent">
          You have not set up a vault yet. A vault keeps your private content end-to-end encrypted: set one up to
          choose its passphrase and get your recovery codes.
        </p>`
      case "locked":
        return html`${this.#lockPanel(state)} ${this.#policyPanel(state.info, settings.policies)}
          ${this.#methodsPanel(state.info)} ${this.#recoveryCodes()}`
      case "unlocked": {
        const mustSet = state.mustSetPassphrase
        return html`
          ${
            mustSet
              ? html`<p part="must-set-passphrase" role="alert">
                You unlocked your vault with a recovery code, which is now used up. Choose a new passphrase before
                anything else.
              </p>`
              : nothing
          }
          ${mustSet ? this.#passphrasePanel(true) : nothing} ${this.#lockPanel(state)}
          ${this.#policyPanel(state.info, settings.policies)} ${this.#methodsPanel(state.info)}
          ${mustSet ? nothing : this.#passphrasePanel(false)} ${this.#passkeyPanel(mustSet)} ${this.#recoveryCodes()}
        `
      }
    }
  }

  #recoveryCodes() {
    return html`<ig-recovery-codes
      part="recovery-codes"
      heading-level="3"
      base-url=${ifDefined(this.baseUrl === "" ? undefined : this.baseUrl)}
    ></ig-recovery-codes>`
  }

  #body() {
    const settings = this.#settings
    switch (settings.sessionStatus) {
      case "signed-out":
        return html`<p part="signed-out">You are signed out. Sign in to manage your vault.</p>`
      case "none":
        if (settings.vault.session === undefined)
          return html`<p part="unavailable">
            The vault is not available here: open your settings in the Ignition app.
          </p>`
        return this.#vault()
      default:
        return this.#vault()
    }
  }

  override render() {
    const state = this.#settings.vault.state
    const loading = state.status === "loading"
    return html`<section part="section" aria-labelledby="heading" aria-busy=${loading ? "true" : "false"}>
      <h2 part="heading" id="heading" tabindex="-1"><slot name="heading">Vault</slot></h2>
      ${this.#body()}
      <p part="status" class="visually-hidden" role="status">${loading ? "Loading your vault…" : ""}</p>
    </section>`
  }
}
