/**
 * The `infobase` group: the personal knowledge base (Markdown notes with a
 * title, category and tags), end-to-end encrypted, with version history.
 * Wire format and rules in `KnowledgeBase` and docs/knowledge-base.md.
 *
 * @since 0.1.0
 */
import { HttpApiGroup, OpenApi } from "@effect/platform"
import { endpoints, infobase } from "./KnowledgeBase.js"

const e = endpoints(infobase, "/api/infobase")

/**
 * @since 0.1.0
 */
export class InfobaseApi extends HttpApiGroup.make("infobase")
  .add(e.list)
  .add(e.create)
  .add(e.update)
  .add(e.remove)
  .add(e.versions)
  .add(e.restore)
  .annotate(OpenApi.Title, "Infobase")
  .annotate(OpenApi.Description, "Knowledge-base notes as vault envelopes, with version history") {}
