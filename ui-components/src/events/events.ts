/**
 * The events elements dispatch: `ig-` names, bubbling and composed (they
 * cross shadow roots), typed in `HTMLElementEventMap`.
 */
import type { Account, KnowledgeBase } from "@ignition/api"

const init = { bubbles: true, composed: true } as const

/** A session started (sign-in, sign-up, passkey, terms accepted). */
export class IgSignedInEvent extends Event {
  static readonly type = "ig-signed-in"
  constructor(readonly session: Account.SessionInfo) {
    super(IgSignedInEvent.type, init)
  }
}

/** The session ended (sign-out, revoked, expired: the server answered 401). */
export class IgSignedOutEvent extends Event {
  static readonly type = "ig-signed-out"
  constructor(readonly reason: "sign-out" | "expired") {
    super(IgSignedOutEvent.type, init)
  }
}

/** The user asked to go somewhere in the app (command palette, links). */
export class IgNavigateEvent extends Event {
  static readonly type = "ig-navigate"
  constructor(readonly path: string) {
    super(IgNavigateEvent.type, init)
  }
}

/** The theme choice changed. */
export class IgThemeChangeEvent extends Event {
  static readonly type = "ig-theme-change"
  constructor(readonly theme: "dark" | "light" | "system") {
    super(IgThemeChangeEvent.type, init)
  }
}

/** The vault was created and its recovery codes confirmed stored. */
export class IgVaultReadyEvent extends Event {
  static readonly type = "ig-vault-ready"
  constructor() {
    super(IgVaultReadyEvent.type, init)
  }
}

/** New recovery codes are on screen, shown once: whatever hosts the element should keep it open until `ig-vault-ready`. */
export class IgVaultCodesShownEvent extends Event {
  static readonly type = "ig-vault-codes-shown"
  constructor() {
    super(IgVaultCodesShownEvent.type, init)
  }
}

/** The vault was unlocked on this device (`method`: how). */
export class IgVaultUnlockedEvent extends Event {
  static readonly type = "ig-vault-unlocked"
  constructor(readonly method: "passphrase" | "passkey" | "recovery-code") {
    super(IgVaultUnlockedEvent.type, init)
  }
}

/** The user switched a record's privacy mode (`<ig-privacy-toggle>`). */
export class IgPrivacyChangeEvent extends Event {
  static readonly type = "ig-privacy-change"
  constructor(readonly mode: KnowledgeBase.PrivacyMode) {
    super(IgPrivacyChangeEvent.type, init)
  }
}

/** A search result was chosen (`<ig-search-box>`): `record` names it, to open it. */
export class IgSearchSelectEvent extends Event {
  static readonly type = "ig-search-select"
  constructor(readonly record: { readonly type: KnowledgeBase.Kind["type"]; readonly id: string }) {
    super(IgSearchSelectEvent.type, init)
  }
}

/** An older version of a note or journal entry was restored as its newest (`<ig-version-history>`): `version` is the one restored. */
export class IgVersionRestoredEvent extends Event {
  static readonly type = "ig-version-restored"
  constructor(
    readonly kind: "infobase" | "journal",
    readonly id: string,
    readonly version: number,
  ) {
    super(IgVersionRestoredEvent.type, init)
  }
}

/** A conflict copy was resolved (`<ig-conflicts>`): `choice` says which side was kept (`both`: the copy became a record of its own). */
export class IgConflictResolvedEvent extends Event {
  static readonly type = "ig-conflict-resolved"
  constructor(
    readonly kind: KnowledgeBase.Kind["type"],
    readonly id: string,
    readonly choice: "current" | "copy" | "both",
  ) {
    super(IgConflictResolvedEvent.type, init)
  }
}

declare global {
  interface HTMLElementEventMap {
    "ig-conflict-resolved": IgConflictResolvedEvent
    "ig-signed-in": IgSignedInEvent
    "ig-signed-out": IgSignedOutEvent
    "ig-navigate": IgNavigateEvent
    "ig-theme-change": IgThemeChangeEvent
    "ig-vault-codes-shown": IgVaultCodesShownEvent
    "ig-vault-ready": IgVaultReadyEvent
    "ig-vault-unlocked": IgVaultUnlockedEvent
    "ig-version-restored": IgVersionRestoredEvent
    "ig-privacy-change": IgPrivacyChangeEvent
    "ig-search-select": IgSearchSelectEvent
  }
}
