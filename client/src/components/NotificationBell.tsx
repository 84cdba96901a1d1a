/**
 * The notification centre: a bell with the unread count, kept live by the notification
 * socket (reconnecting with backoff), and a panel listing the latest notifications.
 */
import { A, useNavigate } from "@solidjs/router";
import { createSignal, For, onCleanup, onMount, Show } from "solid-js";
import type { NoticeResolution } from "../../../schema/core/jobs";
import type { Notification, NotificationLiveMessage } from "../../../schema/core/notifications";
import { errorMessage, listNotifications, markNotificationsRead } from "../api";
import { formatDateTime } from "../format";
import { showToast } from "../toast";
import { Icon } from "./Icon";

/** First wait before reconnecting the live count; doubles up to the cap. */
const LIVE_RETRY_FIRST_MS = 1000;
const LIVE_RETRY_MAX_MS = 30_000;

/** What a notice whose cause ended says. */
const RESOLUTION_WORDS: Record<NoticeResolution, string> = { resolved: "Resolved", done: "Done", skipped: "Skipped" };

/** Unread: neither opened nor over. */
const isUnread = (n: Notification): boolean => n.readAt === null && n.resolvedAt === null;

function parseLive(data: unknown): NotificationLiveMessage | null {
  if (typeof data !== "string") return null;
  try {
    const message: unknown = JSON.parse(data);
    if (typeof message !== "object" || message === null) return null;
    const { type, count } = message as { type?: unknown; count?: unknown };
    return type === "unread" && typeof count === "number" ? { type, count } : null;
  } catch {
    return null;
  }
}

export function NotificationBell() {
  const navigate = useNavigate();
  const [unread, setUnread] = createSignal(0);
  const [open, setOpen] = createSignal(false);
  const [items, setItems] = createSignal<Notification[] | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  let socket: WebSocket | null = null;
  let retryMs = LIVE_RETRY_FIRST_MS;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;
  let buttonRef: HTMLButtonElement | undefined;
  let panelRef: HTMLElement | undefined;

  const load = async () => {
    try {
      const page = await listNotifications();
      setItems(page.notifications);
      setUnread(page.unread);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const connectLive = () => {
    if (disposed) return;
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${window.location.host}/api/notifications/live`);
    socket.onopen = () => {
      retryMs = LIVE_RETRY_FIRST_MS;
    };
    socket.onmessage = (event) => {
      const message = parseLive(event.data);
      if (!message) return;
      // A new notice raises the count, a cause that ended lowers it: either way the list is out of date.
      const changed = message.count !== unread();
      setUnread(message.count);
      if (changed && open()) void load();
      else if (changed) setItems(null);
    };
    socket.onclose = () => {
      socket = null;
      if (disposed) return;
      retryTimer = setTimeout(connectLive, retryMs);
      retryMs = Math.min(retryMs * 2, LIVE_RETRY_MAX_MS);
    };
  };

  const onOnline = () => {
    if (socket) return;
    clearTimeout(retryTimer);
    retryMs = LIVE_RETRY_FIRST_MS;
    connectLive();
  };

  const onDocClick = (e: MouseEvent) => {
    if (!open() || !(e.target instanceof Node)) return;
    if (panelRef?.contains(e.target) || buttonRef?.contains(e.target)) return;
    setOpen(false);
  };

  onMount(() => {
    void load();
    connectLive();
    window.addEventListener("online", onOnline);
    document.addEventListener("click", onDocClick);
  });
  onCleanup(() => {
    disposed = true;
    clearTimeout(retryTimer);
    socket?.close();
    window.removeEventListener("online", onOnline);
    document.removeEventListener("click", onDocClick);
  });

  const toggle = () => {
    const next = !open();
    setOpen(next);
    if (next) {
      void load();
      queueMicrotask(() => panelRef?.querySelector<HTMLElement>("a, button")?.focus());
    }
  };

  const close = () => {
    setOpen(false);
    buttonRef?.focus();
  };

  const openOne = async (n: Notification) => {
    setOpen(false);
    if (isUnread(n)) {
      setItems((all) => all?.map((x) => (x.id === n.id ? { ...x, readAt: new Date().toISOString() } : x)) ?? null);
      markNotificationsRead({ ids: [n.id] }).then(setUnread, (err: unknown) => showToast(errorMessage(err), "error"));
    }
    navigate(n.url.startsWith("/") && !n.url.startsWith("//") ? n.url : "/rooms");
  };

  const markAll = async () => {
    try {
      setUnread(await markNotificationsRead({ all: true }));
      const at = new Date().toISOString();
      setItems((all) => all?.map((x) => ({ ...x, readAt: x.readAt ?? at })) ?? null);
    } catch (err) {
      showToast(errorMessage(err), "error");
    }
  };

  return (
    /* biome-ignore lint/a11y/noStaticElementInteractions: Escape bubbles up from the button and panel inside;
       the wrapper is not a control */
    <div class="bell" onKeyDown={(e) => e.key === "Escape" && open() && close()}>
      <button
        ref={buttonRef}
        type="button"
        class="icon-button bell-button"
        aria-expanded={open()}
        aria-controls="notification-panel"
        aria-label={unread() > 0 ? `Notifications, ${unread()} unread` : "Notifications"}
        data-testid="bell"
        onClick={toggle}
      >
        <Icon name="bell" size={20} />
        <Show when={unread() > 0}>
          <span class="bell-count" data-testid="bell-count" aria-hidden="true">
            {unread() > 99 ? "99+" : unread()}
          </span>
        </Show>
      </button>
      <Show when={open()}>
        <section
          ref={panelRef}
          class="bell-panel card"
          id="notification-panel"
          aria-label="Notifications"
          data-testid="notification-panel"
        >
          <div class="bell-head">
            <h2>Notifications</h2>
            <button
              type="button"
              class="button button-ghost button-small"
              disabled={unread() === 0}
              onClick={() => void markAll()}
              data-testid="mark-all-read"
            >
              Mark all read
            </button>
          </div>
          <Show when={!error()} fallback={<p class="alert">{error()}</p>}>
            <Show when={items()} fallback={<p class="muted bell-empty">Loading…</p>}>
              {(list) => (
                <Show
                  when={list().length > 0}
                  fallback={<p class="muted bell-empty">Nothing yet. Reminders for your home's tasks show up here.</p>}
                >
                  <ul class="bell-list">
                    <For each={list()}>
                      {(n) => (
                        <li>
                          <a
                            href={n.url}
                            class="bell-item"
                            classList={{ "bell-unread": isUnread(n), "bell-resolved": n.resolution !== null }}
                            data-testid="notification"
                            onClick={(e) => {
                              if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
                              e.preventDefault();
                              void openOne(n);
                            }}
                          >
                            <span class="bell-dot" aria-hidden="true" />
                            <span class="bell-text">
                              <span class="bell-title">
                                {n.title}
                                <Show when={isUnread(n)}>
                                  <span class="sr-only"> (unread)</span>
                                </Show>
                              </span>
                              <Show when={n.resolution}>
                                {(resolution) => (
                                  <span class="chip chip-success bell-resolution" data-testid="notification-resolution">
                                    {RESOLUTION_WORDS[resolution()]}
                                  </span>
                                )}
                              </Show>
                              <span class="small bell-room" data-testid="notification-room">
                                {n.roomName}
                              </span>
                              <span class="small muted">{n.body}</span>
                              <time class="small muted" datetime={n.createdAt}>
                                {formatDateTime(n.createdAt)}
                              </time>
                            </span>
                          </a>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
              )}
            </Show>
          </Show>
          <A href="/settings/notifications" class="bell-settings small" onClick={() => setOpen(false)}>
            Notification settings
          </A>
        </section>
      </Show>
    </div>
  );
}
