/**
 * The baseline for the HTTP overhead benchmark: a bare `node:http` server
 * answering `GET /health` with the same JSON as Ignition. Prints its port.
 */
import { createServer } from "node:http"

const body = JSON.stringify({ status: "ok" })

const server = createServer((request, response) => {
  if (request.method === "GET" && request.url === "/health") {
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
    response.end(body)
  } else {
    response.writeHead(404).end()
  }
})

server.listen(0, "127.0.0.1", () => {
  const address = server.address()
  if (address !== null && typeof address === "object")
    process.stdout.write(`${JSON.stringify({ port: address.port })}\n`)
})

process.on("SIGTERM", () => server.close(() => process.exit(0)))
