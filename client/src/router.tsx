/**
 * A small history router. Invite and sign-in links are real paths (`/invite/<token>`,
 * `/signin/<token>`), so the app routes on `location.pathname` rather than on the hash;
 * the Worker serves index.html for every path that is not an asset, API or room.
 */
import { createSignal, type JSX, splitProps } from "solid-js";

export type Route =
  | { name: "home" }
  | { name: "login"; next: string | null }
  | { name: "rooms" }
  | { name: "room"; roomId: string; view: RoomView }
  | { name: "invite"; token: string }
  | { name: "signin"; token: string }
  | { name: "notificationSettings" }
  | { name: "notFound" };

/** What a room page shows: its own front page, or one record of a home. */
export type RoomView =
  | { name: "main" }
  /** `complete` comes from a reminder's link: the page offers one-step "Mark done". */
  | { name: "task"; taskId: string; complete: boolean }
  | { name: "asset"; assetId: string }
  /** A site's unit; `alertId` (from an alert's link) points at one of its alerts. */
  | { name: "unit"; unitId: string; alertId: string | null };

const [href, setHref] = createSignal(currentHref());

function currentHref(): string {
  return window.location.pathname + window.location.search;
}

window.addEventListener("popstate", () => setHref(currentHref()));

/** The current path plus query, reactive. */
export const currentPath = href;

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === currentHref()) return;
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  setHref(currentHref());
  window.scrollTo(0, 0);
}

/** A home's task page; `complete` opens it ready to mark done, as a reminder's link does. */
export function taskHref(roomId: string, taskId: string, complete = false): string {
  return `/rooms/${encodeURIComponent(roomId)}/tasks/${encodeURIComponent(taskId)}${complete ? "?complete=1" : ""}`;
}

export function assetHref(roomId: string, assetId: string): string {
  return `/rooms/${encodeURIComponent(roomId)}/assets/${encodeURIComponent(assetId)}`;
}

/** A site's unit page, optionally pointing at one of its alerts. */
export function unitHref(roomId: string, unitId: string, alertId?: string): string {
  return `/rooms/${encodeURIComponent(roomId)}/units/${encodeURIComponent(unitId)}${alertId ? `?alert=${encodeURIComponent(alertId)}` : ""}`;
}

export function roomHref(roomId: string): string {
  return `/rooms/${encodeURIComponent(roomId)}`;
}

/** Accepts only same-site paths as a post-login destination, never `//host` or a URL. */
function safeNext(next: string | null): string | null {
  return next !== null && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : null;
}

/** The login page, coming back to `back` once signed in. */
export function loginHref(back: string): string {
  return `/login?next=${encodeURIComponent(back)}`;
}

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** Parses a path into a route. */
function matchRoute(path: string): Route {
  const url = new URL(path, window.location.origin);
  const parts = url.pathname.split("/").filter(Boolean);
  const [first, second, ...rest] = parts;
  if (first === undefined) return { name: "home" };
  if (first === "rooms" && second !== undefined && rest.length === 2)
    return recordRoute(second, rest[0], rest[1], url.searchParams);
  if (first === "settings" && second === "notifications" && rest.length === 0) return { name: "notificationSettings" };
  if (rest.length > 0) return { name: "notFound" };
  if (first === "login" && second === undefined) return { name: "login", next: safeNext(url.searchParams.get("next")) };
  if (first === "rooms" && second === undefined) return { name: "rooms" };
  const param = second === undefined ? null : decode(second);
  if (first === "rooms" && param) return { name: "room", roomId: param, view: { name: "main" } };
  if (first === "invite" && param) return { name: "invite", token: param };
  if (first === "signin" && param) return { name: "signin", token: param };
  return { name: "notFound" };
}

/** `/rooms/:roomId/tasks/:taskId`, `/rooms/:roomId/assets/:assetId` and `/rooms/:roomId/units/:unitId`. */
function recordRoute(
  room: string,
  collection: string | undefined,
  record: string | undefined,
  query: URLSearchParams,
): Route {
  const roomId = decode(room);
  const recordId = record === undefined ? null : decode(record);
  if (!roomId || !recordId) return { name: "notFound" };
  if (collection === "tasks")
    return { name: "room", roomId, view: { name: "task", taskId: recordId, complete: query.get("complete") === "1" } };
  if (collection === "assets") return { name: "room", roomId, view: { name: "asset", assetId: recordId } };
  if (collection === "units")
    return { name: "room", roomId, view: { name: "unit", unitId: recordId, alertId: query.get("alert") } };
  return { name: "notFound" };
}

/** The current route, reactive. */
export function currentRoute(): Route {
  return matchRoute(href());
}

/** An anchor that navigates in-app on a plain click and behaves normally otherwise. */
export function Link(props: JSX.AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const [local, rest] = splitProps(props, ["href", "onClick"]);
  const onClick = (event: MouseEvent & { currentTarget: HTMLAnchorElement; target: Element }) => {
    if (typeof local.onClick === "function") local.onClick(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    ) {
      return;
    }
    event.preventDefault();
    navigate(local.href);
  };
  return <a href={local.href} onClick={onClick} {...rest} />;
}
