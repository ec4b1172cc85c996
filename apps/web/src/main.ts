/**
 * The web app: every <ig-*> element, the shell, and the service worker.
 */
import "@ignition/ui-components"
import { IgSignedOutEvent } from "@ignition/ui-components"
import "./Shell.js"
import { apiCache } from "./cacheNames.js"

if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js").catch(() => {
      // Without a service worker the app works online only; nothing else to do.
    })
  })
}

// What the API answered for this user must not outlive their session on a shared device.
document.addEventListener(IgSignedOutEvent.type, () => {
  void caches.delete(apiCache)
})
