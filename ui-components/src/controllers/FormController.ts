/**
 * A form's submission state and its errors, placed where they belong: each
 * error the server answers with goes next to the field it concerns, taken
 * from the error's schema (a decode error's issue path, a tag or a reason),
 * never parsed from its text. What the user typed stays in the form.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit"
import type { Outcome, ServerError } from "../client/IgnitionClient.js"

/** Which field an error concerns, by its `_tag` or `_tag:reason`; unmapped errors are the form's. */
export type ErrorPlacement = Readonly<Record<string, string>>

export interface DecodeIssue {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

const issuesOf = (error: ServerError): ReadonlyArray<DecodeIssue> =>
  error._tag === "HttpApiDecodeError" && Array.isArray(error.issues) ? (error.issues as ReadonlyArray<DecodeIssue>) : []

const describe = (error: ServerError): string => {
  const message = typeof error.message === "string" ? error.message : "The server refused this."
  const suggestions = Array.isArray(error.suggestions) ? error.suggestions.filter((s) => typeof s === "string") : []
  const retry = typeof error.retryAfterSeconds === "number" ? ` (${error.retryAfterSeconds} s)` : ""
  return [message + retry, ...suggestions].join(" ")
}

export class FormController implements ReactiveController {
  pending = false
  fieldErrors: Readonly<Record<string, string>> = {}
  formError: string | undefined = undefined
  /** The last failure was the network, not the server: offer a retry. */
  retryable = false

  readonly #host: ReactiveControllerHost
  readonly #placement: ErrorPlacement

  constructor(host: ReactiveControllerHost, placement: ErrorPlacement) {
    this.#host = host
    this.#placement = placement
    host.addController(this)
  }

  hostConnected(): void {}

  /** Submit once at a time; resolves with the value on success, undefined otherwise. */
  async submit<A>(call: () => Promise<Outcome<A>>): Promise<A | undefined> {
    if (this.pending) return undefined
    this.pending = true
    this.fieldErrors = {}
    this.formError = undefined
    this.retryable = false
    this.#host.requestUpdate()
    try {
      const outcome = await call()
      switch (outcome._tag) {
        case "Ok":
          return outcome.value
        case "Unreachable":
          this.formError = outcome.message
          this.retryable = true
          return undefined
        case "Refused":
          this.#place(outcome.error)
          return undefined
      }
    } finally {
      this.pending = false
      this.#host.requestUpdate()
    }
  }

  /** Clear a field's error once the user changes it. */
  edited(field: string): void {
    if (field in this.fieldErrors) {
      const { [field]: _, ...rest } = this.fieldErrors
      this.fieldErrors = rest
      this.#host.requestUpdate()
    }
  }

  #place(error: ServerError): void {
    const issues = issuesOf(error)
    if (issues.length > 0) {
      const placed: Record<string, string> = {}
      for (const issue of issues) {
        const field = String(issue.path[0] ?? "")
        if (field !== "" && placed[field] === undefined) placed[field] = issue.message
        else if (field === "") this.formError = issue.message
      }
      this.fieldErrors = placed
      return
    }
    const reason = typeof error.reason === "string" ? `${error._tag}:${error.reason}` : undefined
    const field = (reason === undefined ? undefined : this.#placement[reason]) ?? this.#placement[error._tag]
    if (field === undefined) this.formError = describe(error)
    else this.fieldErrors = { [field]: describe(error) }
  }
}
