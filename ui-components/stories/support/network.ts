/**
 * The browser's online state, as a story's `beforeEach`: `navigator.onLine`
 * answers `false` and an `offline` event tells the elements listening, until
 * the story is left.
 */
export const offline = (): (() => () => void) => () => {
  Object.defineProperty(navigator, "onLine", { configurable: true, get: () => false })
  window.dispatchEvent(new Event("offline"))
  return () => {
    // The instance property shadowed Navigator.prototype's getter: removing it restores the real state.
    Reflect.deleteProperty(navigator, "onLine")
    window.dispatchEvent(new Event(navigator.onLine ? "online" : "offline"))
  }
}

/** Goes back online during a story (as a `play` step): what a reconnect looks like. */
export const reconnect = (): void => {
  Reflect.deleteProperty(navigator, "onLine")
  window.dispatchEvent(new Event("online"))
}
