/**
 * UserHub: one Durable Object per user holding their open notification-centre sockets,
 * so that a notification written anywhere (the queue consumer, another tab marking all
 * read) shows in every tab at once. The sockets hibernate between messages; the count
 * itself lives in D1, so the hub keeps no state of its own and may be evicted at will.
 */
import { DurableObject } from "cloudflare:workers";
import { MAX_NOTIFICATION_SOCKETS_PER_USER } from "../../config";
import type { NotificationLiveMessage } from "../../schema/core/notifications";
import { unreadCount } from "./store";

/** Set by the Worker's route after it has authenticated the caller; never taken from a client. */
export const USER_HUB_USER_HEADER = "x-haven-hub-user";
/** The session the socket was opened with, so signing out closes it. Set by the Worker like the user. */
export const USER_HUB_SESSION_HEADER = "x-haven-hub-session";

/** The hub of one user. */
export function userHub(env: Env, userId: string): DurableObjectStub<UserHub> {
  return env.USER_HUB.get(env.USER_HUB.idFromName(userId));
}

const frame = (message: NotificationLiveMessage): string => JSON.stringify(message);

export class UserHub extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Keep-alive pings are answered without waking the hub.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  /** Accepts a notification-centre socket and sends it the current unread count. */
  override async fetch(request: Request): Promise<Response> {
    const userId = request.headers.get(USER_HUB_USER_HEADER);
    const sessionId = request.headers.get(USER_HUB_SESSION_HEADER);
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket" || !userId || !sessionId)
      return new Response(null, { status: 400 });
    const open = this.ctx.getWebSockets();
    // A user with many stale tabs loses the oldest socket, never the tab just opened.
    for (const stale of open.slice(0, Math.max(0, open.length - MAX_NOTIFICATION_SOCKETS_PER_USER + 1))) {
      try {
        stale.close(4429, "too many notification sockets");
      } catch {
        // Already closing.
      }
    }
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1], [`session:${sessionId}`]);
    // Counted after the socket joins, so a notify that lands meanwhile reaches it too.
    pair[1].send(frame({ type: "unread", count: await unreadCount(this.env.DB, userId) }));
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  /** Sends every open tab the user's unread count. */
  async notify(unread: number): Promise<void> {
    const message = frame({ type: "unread", count: unread });
    for (const socket of this.ctx.getWebSockets()) {
      try {
        socket.send(message);
      } catch {
        // A socket closing as we send: it needs no count.
      }
    }
  }

  /** A session ended (logout): its sockets close now, as the rooms' do. */
  async endSession(sessionId: string): Promise<void> {
    for (const socket of this.ctx.getWebSockets(`session:${sessionId}`)) {
      try {
        socket.close(4401, "Signed out");
      } catch {
        // Already closing.
      }
    }
  }

  /** The socket only listens; anything a client sends other than "ping" is ignored. */
  override async webSocketMessage(): Promise<void> {}

  override async webSocketClose(socket: WebSocket): Promise<void> {
    try {
      socket.close(1000, "closed");
    } catch {
      // Already closed by the runtime.
    }
  }
}
