/**
 * The `ideas` group: quick capture of music ideas, end-to-end encrypted.
 * Wire format and rules in `KnowledgeBase` and docs/knowledge-base.md.
 *
 * @since 0.1.0
 */
import { HttpApiGroup, OpenApi } from "@effect/platform"
import { endpoints, idea } from "./KnowledgeBase.js"

const e = endpoints(idea, "/api/ideas")

/**
 * @since 0.1.0
 */
export class IdeasApi extends HttpApiGroup.make("ideas")
  .add(e.list)
  .add(e.create)
  .add(e.update)
  .add(e.remove)
  .annotate(OpenApi.Title, "Ideas")
  .annotate(OpenApi.Description, "Music ideas (text, key, BPM, mood tags) as vault envelopes") {}
