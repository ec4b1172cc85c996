/**
 * `npm start`: the server, configured from the environment.
 */
import { Layer } from "effect"
import * as Entrypoint from "./Entrypoint.js"
import { ServerLive } from "./Server.js"

Entrypoint.run(Layer.launch(ServerLive), { done: "Ignition stopped", failed: "Ignition failed" })
