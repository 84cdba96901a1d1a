// Diagnosis only (bench/diag.ts): a bare Yjs relay in a Durable Object, to separate the
// costs inside Haven's room; and PUT /upload/<key>, a body streamed to R2, the peer of
// Haven's capture upload (bench/capture/uploads.ts). Plain JS so the Node typecheck
// (tsconfig.node.json) skips it; wrangler bundles it. Every socket of /room/<name>?mode=<mode> shares one object.
//   relay       hibernatable sockets, relay via ctx.getWebSockets(), no storage
//   sql         + one raw SQLite INSERT per update before the relay (Haven's durability contract)
//   sql-attach  + deserializeAttachment() of every socket per relay (what partyserver's
//               hibernating getConnections() does)
//   memory      non-hibernatable sockets kept in a Set, no storage
import { DurableObject } from "cloudflare:workers";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";

export class Room extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.doc = new Y.Doc();
    this.mode = "relay";
    this.sockets = new Set();
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY AUTOINCREMENT, u BLOB NOT NULL)");
    this.doc.on("update", (update) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      syncProtocol.writeUpdate(encoder, update);
      const frame = encoding.toUint8Array(encoder);
      const sockets = this.mode === "memory" ? this.sockets : this.ctx.getWebSockets();
      for (const ws of sockets) {
        if (this.mode === "sql-attach") ws.deserializeAttachment();
        try {
          ws.send(frame);
        } catch {
          // Closing.
        }
      }
    });
  }

  async fetch(request) {
    this.mode = new URL(request.url).searchParams.get("mode") ?? "relay";
    const pair = new WebSocketPair();
    const server = pair[1];
    if (this.mode === "memory") {
      server.accept();
      this.sockets.add(server);
      server.binaryType = "arraybuffer"; // Blob by default at this compatibility date.
      server.addEventListener("message", (e) => this.onFrame(server, e.data));
      server.addEventListener("close", () => this.sockets.delete(server));
    } else {
      this.ctx.acceptWebSocket(server);
      server.serializeAttachment({ __pk: { id: crypto.randomUUID(), tags: [], uri: request.url }, __user: null });
    }
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    server.send(encoding.toUint8Array(encoder));
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  webSocketMessage(ws, message) {
    this.onFrame(ws, message);
  }

  webSocketClose(ws, code) {
    try {
      ws.close(code);
    } catch {
      // Already closed.
    }
  }

  onFrame(ws, message) {
    if (typeof message === "string") return;
    const decoder = decoding.createDecoder(new Uint8Array(message));
    if (decoding.readVarUint(decoder) !== 0) return;
    const step = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (step === syncProtocol.messageYjsSyncStep1) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
      encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(this.doc, payload));
      ws.send(encoding.toUint8Array(encoder));
      return;
    }
    if (payload.length === 2 && payload[0] === 0 && payload[1] === 0) return;
    if (this.mode === "sql" || this.mode === "sql-attach")
      this.ctx.storage.sql.exec("INSERT INTO log (u) VALUES (?)", payload);
    Y.applyUpdate(this.doc, payload, ws);
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    // The peer of Haven's capture upload (bench/capture/uploads.ts): the body streamed straight to R2.
    const upload = url.pathname.match(/^\/upload\/([\w-]+)$/);
    if (upload && request.method === "PUT") {
      const stored = await env.BLOBS.put(upload[1], request.body);
      return Response.json({ size: stored.size }, { status: 201 });
    }
    const match = url.pathname.match(/^\/room\/([\w-]+)$/);
    if (!match) return new Response("ok");
    return env.ROOM.get(env.ROOM.idFromName(match[1])).fetch(request);
  },
};
