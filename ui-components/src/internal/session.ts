/**
 * What the session-scoped controllers share: a key naming whose data an
 * element may show (so a list never outlives the user it was loaded for),
 * and the text of a server's refusal.
 */
import type { ServerError } from "../client/IgnitionClient.js"
import type { SessionState } from "../context/contexts.js"

/** Who is signed in, as far as the page says ("standalone" without a session provider). */
export const sessionKey = (session: SessionState | undefined): string => {
  if (session === undefined) return "standalone"
  switch (session.status) {
    case "signed-in":
      return `${session.info.user.id}/${session.info.session.id}`
    case "unreachable":
      return "standalone"
    default:
      return session.status
  }
}

/** The server's message, or its tag when it sent none. */
export const messageOf = (error: ServerError): string =>
  typeof error.message === "string" && error.message !== "" ? error.message : `The server refused this (${error._tag}).`
