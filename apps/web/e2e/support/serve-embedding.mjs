// A second origin for the embedding test: serves one plain HTML page that embeds <ig-sign-in>
// from the Ignition server on another origin. Usage: node serve-embedding.mjs <port> <ignition-port>
import { createServer } from "node:http"

const [port, ignitionPort] = process.argv.slice(2).map(Number)
const ignition = `http://localhost:${ignitionPort}`

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>A site that embeds Ignition</title>
    <link rel="stylesheet" href="${ignition}/embed/theme.css" />
    <script type="module" src="${ignition}/embed/ig-sign-in.js"></script>
    <script type="module" src="/page.js"></script>
  </head>
  <body>
    <main>
      <h1>My practice journal</h1>
      <ig-sign-in base-url="${ignition}"></ig-sign-in>
      <p id="status" role="status">Not signed in.</p>
    </main>
  </body>
</html>`

const script = `document.addEventListener("ig-signed-in", (event) => {
  document.getElementById("status").textContent = "Signed in as " + event.session.user.email
})`

createServer((request, response) => {
  if (request.url === "/page.js") {
    response.writeHead(200, { "content-type": "text/javascript" }).end(script)
  } else if (request.url === "/" || request.url === "/index.html") {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page)
  } else {
    response.writeHead(404).end()
  }
}).listen(port, "127.0.0.1")
