/**
 * Diagnosis only: the reference server's own connection handler (`setupWSConnection` from
 * @y/websocket-server) behind a `ws` server that accepts permessage-deflate, which the
 * stock src/server.js does not. Shows what compression costs a Node server and this
 * benchmark's single client process, like for like with Haven's "deflate on" rows.
 * Documents live in memory. Listens on 127.0.0.1:$PORT.
 */
import { createServer } from "node:http";
import { setupWSConnection } from "@y/websocket-server/utils";
import { WebSocketServer } from "ws";

const port = Number(process.env.PORT);
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: true });
const server = createServer((_req, res) => {
  res.writeHead(200, { "Content-Type": "text/plain" });
  res.end("okay");
});
wss.on("connection", (socket, request) => setupWSConnection(socket, request));
server.on("upgrade", (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
});
server.listen(port, "127.0.0.1");
