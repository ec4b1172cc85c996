/**
 * The `journal` group: dated journal entries with tags, end-to-end
 * encrypted, with version history. Wire format and rules in
 * `KnowledgeBase` and docs/knowledge-base.md.
 *
 * @since 0.1.0
 */
import { HttpApiGroup, OpenApi } from "@effect/platform"
import { endpoints, journal } from "./KnowledgeBase.js"

const e = endpoints(journal, "/api/learn/journal")

/**
 * @since 0.1.0
 */
export class JournalApi extends HttpApiGroup.make("journal")
  .add(e.list)
  .add(e.create)
  .add(e.update)
  .add(e.remove)
  .add(e.versions)
  .add(e.restore)
  .annotate(OpenApi.Title, "Journal")
  .annotate(OpenApi.Description, "Dated journal entries as vault envelopes, with version history") {}
