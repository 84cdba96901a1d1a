/**
 * A push service for tests (RFC 8030 §5 as seen by an application server), on 127.0.0.1. Every POST
 * outside `/__` is a push message to the subscription at that path: the VAPID header is verified as a
 * real push service would, then the message is kept and answered 201. Two control routes let tests
 * that run elsewhere (workerd) drive it over HTTP:
 * - `GET /__received[?path=/p]`: the messages kept so far, as ReceivedPushJson[].
 * - `POST /__fail-next?status=410&times=1[&body=text]`: answer the next pushes with that status (and body) instead.
 * - `POST /__redirect-next?location=URL`: answer the next push 307 to that URL.
 * - `POST /__drop-next`: close the next push's connection without an answer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type ReceivedPush, receivedToJson, verifyVapidAuthorization } from "./push-crypto";

export type { ReceivedPush } from "./push-crypto";

export interface PushEndpoint {
  /** The origin, e.g. http://127.0.0.1:43210; subscription endpoints are paths under it. */
  url: string;
  received(): ReceivedPush[];
  /** Answers the next `times` (default 1) push messages with `status` (and `body`) and keeps none of them. */
  failNext(status: number, times?: number, body?: string): void;
  close(): Promise<void>;
}

/** Push services accept at least this much (RFC 8291 §4); larger bodies get 413 (RFC 8030 §7.2). */
const MAX_BODY_BYTES = 4096;

async function readBody(request: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const all = Buffer.concat(chunks);
  return new Uint8Array(all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer);
}

function headerRecord(request: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function answer(response: ServerResponse, status: number, text = "", headers: Record<string, string> = {}): void {
  response.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", ...headers });
  response.end(text);
}

/** What to do with a push instead of keeping it. */
type Failure = { status: number; body?: string; location?: string } | "drop";

/** Starts the service on `port` (0: any free port). */
export async function startPushEndpoint(port = 0): Promise<PushEndpoint> {
  const kept: ReceivedPush[] = [];
  const failures: Failure[] = [];
  let origin = "";

  const failNext = (status: number, times = 1, body?: string): void => {
    for (let i = 0; i < times; i++) failures.push(body === undefined ? { status } : { status, body });
  };

  async function acceptPush(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const body = await readBody(request);
    if (body.length > MAX_BODY_BYTES)
      return answer(response, 413, `body of ${body.length} bytes exceeds ${MAX_BODY_BYTES}`);
    let vapid: ReceivedPush["vapid"];
    try {
      vapid = await verifyVapidAuthorization(request.headers.authorization ?? "", origin);
    } catch (err) {
      return answer(response, 401, err instanceof Error ? err.message : String(err));
    }
    const ttl = request.headers.ttl;
    if (typeof ttl !== "string" || !/^\d+$/.test(ttl))
      return answer(response, 400, "TTL header missing or not a number");
    if (request.headers["content-encoding"] !== "aes128gcm")
      return answer(response, 415, "Content-Encoding must be aes128gcm");
    const failure = failures.shift();
    if (failure === "drop") {
      response.destroy();
      return;
    }
    if (failure !== undefined) {
      const headers: Record<string, string> = failure.location ? { Location: failure.location } : {};
      return answer(response, failure.status, failure.body ?? `failing as asked: ${failure.status}`, headers);
    }
    kept.push({ path, headers: headerRecord(request), body, vapid });
    answer(response, 201, "", { Location: `${origin}/__message/${kept.length}`, TTL: ttl });
  }

  /** A control route's answer: status and text. */
  function controlAnswer(request: IncomingMessage, url: URL): [number, string] {
    if (request.method === "POST" && url.pathname === "/__fail-next") {
      const status = Number(url.searchParams.get("status"));
      const times = Number(url.searchParams.get("times") ?? "1");
      if (!Number.isInteger(status) || status < 200 || status > 599 || !Number.isInteger(times) || times < 1) {
        return [400, "status must be 200-599 and times 1 or more"];
      }
      failNext(status, times, url.searchParams.get("body") ?? undefined);
      return [204, ""];
    }
    if (request.method === "POST" && url.pathname === "/__redirect-next") {
      const location = url.searchParams.get("location");
      if (!location) return [400, "location is required"];
      failures.push({ status: 307, location });
      return [204, ""];
    }
    if (request.method === "POST" && url.pathname === "/__drop-next") {
      failures.push("drop");
      return [204, ""];
    }
    return [404, "no such control route"];
  }

  function control(request: IncomingMessage, response: ServerResponse, url: URL): void {
    if (request.method === "GET" && url.pathname === "/__received") {
      const path = url.searchParams.get("path");
      const list = kept.filter((push) => path === null || push.path === path).map(receivedToJson);
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(JSON.stringify(list));
      return;
    }
    const [status, text] = controlAnswer(request, url);
    answer(response, status, text);
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", origin);
    const work = url.pathname.startsWith("/__")
      ? Promise.resolve(control(request, response, url))
      : request.method === "POST"
        ? acceptPush(request, response, url.pathname)
        : Promise.resolve(answer(response, 405, "push messages are POSTed", { Allow: "POST" }));
    work.catch((err: unknown) => {
      if (!response.headersSent) answer(response, 500, String(err));
      else response.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    received: () => [...kept],
    failNext,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
