import { A, type RouteSectionProps, useLocation, useNavigate } from "@solidjs/router";
import {
  createEffect,
  createMemo,
  createResource,
  createSignal,
  type JSX,
  Match,
  on,
  onCleanup,
  Show,
  Switch,
} from "solid-js";
import type { Room, User } from "../../../schema/core/api";
import { can } from "../../../schema/core/roles";
import { ApiError, errorMessage, getRoom, listMembers } from "../api";
import { Alert } from "../components/Alert";
import { ConnectionBadge } from "../components/ConnectionBadge";
import { Icon } from "../components/Icon";
import { PresenceAvatars } from "../components/PresenceAvatars";
import { TopBar } from "../components/TopBar";
import { kindName, roleName } from "../format";
import { decodeParam, roomHref } from "../links";
import { createRoomStore } from "../room";
import { OpenRoomContext, type Person, type RoomPageProps, type RoomShell, useOpenRoom } from "../rooms/kind";
import { roomKinds } from "../rooms/registry";
import { useSession } from "../session";
import { showToast } from "../toast";
import { NotFoundPage } from "./NotFoundPage";
import { roomPeopleHref } from "./RoomPeoplePage";

/**
 * /rooms/:roomId and the kind's pages below it: loads the room's metadata, then opens it
 * live; the room stays open while its own pages change, and is opened anew for another room.
 */
export function RoomPage(props: RouteSectionProps) {
  const session = useSession();
  return (
    <Show when={decodeParam(props.params.roomId)} keyed fallback={<NotFoundPage />}>
      {(roomId) => (
        <Show when={session.user()}>
          {(user) => (
            <LoadedRoom roomId={roomId} user={user()}>
              {props.children}
            </LoadedRoom>
          )}
        </Show>
      )}
    </Show>
  );
}

/** The kind's front page, as the route `/rooms/:roomId` shows it. */
export function RoomMainRoute() {
  const open = useOpenRoom();
  return <>{open.kind.main(open.pageProps)}</>;
}

/**
 * The route for one sub-page path: the open room's kind shows its page for that path, and
 * a kind without one shows its front page.
 */
export function RoomSubPageRoute(path: string): () => JSX.Element {
  return () => {
    const open = useOpenRoom();
    const page = open.kind.pages.get(path) ?? open.kind.main;
    return <>{page(open.pageProps)}</>;
  };
}

function LoadedRoom(props: { roomId: string; user: User; children: JSX.Element }) {
  const [room, { refetch }] = createResource(() => props.roomId, getRoom);

  return (
    <>
      <TopBar />
      <Switch>
        <Match when={room.error !== undefined}>
          <main class="center-page" id="main">
            <div class="card empty">
              <h1>
                {room.error instanceof ApiError && room.error.status === 404
                  ? "Room not found"
                  : "Can't open this room"}
              </h1>
              <Alert
                message={
                  room.error instanceof ApiError && room.error.status === 404
                    ? "This room doesn't exist, or you are not a member of it."
                    : errorMessage(room.error)
                }
              />
              <div class="row">
                <Show when={!(room.error instanceof ApiError && room.error.status === 404)}>
                  <button type="button" class="button button-primary" onClick={() => void refetch()}>
                    Try again
                  </button>
                </Show>
                <A href="/rooms" class="button button-ghost">
                  Back to rooms
                </A>
              </div>
            </div>
          </main>
        </Match>
        <Match when={room()} keyed>
          {(loaded) => (
            <RoomView room={loaded} user={props.user}>
              {props.children}
            </RoomView>
          )}
        </Match>
        <Match when={room.loading}>
          <main class="page" id="main">
            <p class="muted" aria-busy="true">
              Opening room…
            </p>
          </main>
        </Match>
      </Switch>
    </>
  );
}

function RoomView(props: { room: Room; user: User; children: JSX.Element }) {
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const store = createRoomStore(props.room, props.user);
  const kind = roomKinds[props.room.kind].open({ room: props.room, user: props.user, roomStore: store });
  /** Commands made here that wait for the network, in a kind that sends commands. */
  const waiting = kind.waiting;
  const canManage = () => can(props.room.kind, store.role(), "members.manage");
  const canManageRoom = () => can(props.room.kind, store.role(), "room.manage");
  // Name and archive state change here (rename, archive); the room's id and kind never do.
  const [info, setInfo] = createSignal(props.room);
  // The room's own document comes first: side lists load once it has synced, so they do
  // not compete with it for the connection while the page opens.
  const [members, { refetch: refetchMembers }] = createResource(
    () => (canManage() && store.loaded() ? props.room.id : false),
    listMembers,
  );
  // `latest` rethrows a failed load; the panel shows that error, everything else sees no list.
  const memberList = () => (members.error === undefined ? members.latest : undefined);
  const [membersTriedFor, setMembersTriedFor] = createSignal(new Set<string>());
  // Set when this user leaves of their own accord: the socket's "access revoked" is then no news.
  let leftHere = false;
  /** On the room's own pages below its front page, the header keeps to one short line on a phone. */
  const onSubPage = () => location.pathname !== roomHref(props.room.id);
  const peopleHref = roomPeopleHref(props.room.id);
  const peopleLabel = () => (canManage() ? "Members & settings" : canManageRoom() ? "Settings" : "Membership");

  createEffect(() => {
    document.title = `${info().name} · Haven`;
  });

  // Ctrl/Cmd+Z takes back this user's last structural change, Shift+Ctrl/Cmd+Z or Ctrl+Y redoes it.
  // Inside a text field that field's own undo applies instead (components/textUndo.ts).
  const onUndoKey = (e: KeyboardEvent) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
    if (e.target instanceof Element && e.target.closest("input, textarea, select, [contenteditable]")) return;
    const key = e.key.toLowerCase();
    if (key === "z" && !e.shiftKey) {
      e.preventDefault();
      store.undo();
    } else if ((key === "z" && e.shiftKey) || key === "y") {
      e.preventDefault();
      store.redo();
    }
  };
  document.addEventListener("keydown", onUndoKey);
  onCleanup(() => document.removeEventListener("keydown", onUndoKey));

  createEffect(
    on(store.ended, (ended) => {
      if (ended === "session_ended") {
        if (!session.signingOut()) showToast("Your session ended. Log in again to continue.", "error");
        session.expire();
      } else if (ended === "access_revoked") {
        if (leftHere) return;
        showToast(`You were removed from “${props.room.name}”.`, "error");
        navigate("/rooms", { replace: true });
      }
    }),
  );

  // Someone who just accepted an invite shows up in presence before the members list
  // knows them: fetch the list again, once per unknown person.
  createEffect(() => {
    const list = memberList();
    if (!canManage() || !list) return;
    const known = new Set(list.map((m) => m.userId));
    const tried = membersTriedFor();
    const unknown = store.peers().filter((p) => !known.has(p.userId) && !tried.has(p.userId));
    if (unknown.length === 0) return;
    setMembersTriedFor(new Set([...tried, ...unknown.map((p) => p.userId)]));
    void refetchMembers();
  });

  /** A display name for a user id, from whatever this client knows. */
  const nameOf = (userId: string): string | null => {
    if (userId === props.user.id) return props.user.name;
    const member = memberList()?.find((m) => m.userId === userId);
    if (member) return member.name;
    return store.peers().find((p) => p.userId === userId)?.name ?? null;
  };

  /**
   * Who a task can be assigned to: the members list where this user may read it, else
   * the people this client knows (itself, whoever is present, current assignees).
   */
  const people = createMemo((): Person[] => {
    const list = memberList();
    if (list) return list.map((m) => ({ id: m.userId, name: m.name }));
    const known = new Map<string, string>([[props.user.id, props.user.name]]);
    for (const peer of store.peers()) known.set(peer.userId, peer.name);
    for (const userId of kind.namedUsers()) {
      if (!known.has(userId)) known.set(userId, nameOf(userId) ?? "Someone");
    }
    return [...known].map(([id, name]) => ({ id, name }));
  });

  const pageProps: RoomPageProps = {
    roomId: props.room.id,
    roomStore: store,
    get members() {
      return canManage() ? memberList() : undefined;
    },
    get people() {
      return people();
    },
    nameOf,
  };

  const shell: RoomShell = {
    room: info,
    setRoom: setInfo,
    user: props.user,
    role: store.role,
    loaded: store.loaded,
    canManageMembers: canManage,
    canManageRoom,
    members: memberList,
    membersError: () => (members.error === undefined ? null : errorMessage(members.error)),
    reloadMembers: () => void refetchMembers(),
    leaving: (yes) => {
      leftHere = yes;
    },
  };

  return (
    <main class="page room-page" id="main">
      <header class="room-head" classList={{ "room-head-sub": onSubPage() }}>
        <div class="room-title">
          <A href="/rooms" class="back-link">
            ‹ Rooms
          </A>
          <div class="room-name-row">
            <span class={`kind-icon kind-${props.room.kind}`} aria-hidden="true">
              <Icon name={props.room.kind} />
            </span>
            <h1 data-testid="room-name">{info().name}</h1>
          </div>
          <div class="room-badges">
            <span class={`chip caps kind-chip room-badge-id kind-${props.room.kind}`} data-testid="room-kind">
              {kindName(props.room.kind)}
            </span>
            <span class="chip chip-muted caps room-badge-id" data-testid="room-role">
              {roleName(store.role())}
            </span>
            <Show when={info().archived}>
              <span class="chip chip-muted" data-testid="room-archived">
                Archived
              </span>
            </Show>
            <Show when={waiting() > 0}>
              <span
                class="chip chip-warn"
                data-testid="pending-count"
                title="Changes saved on this device, sent when the connection returns"
              >
                {waiting()} waiting to sync
              </span>
            </Show>
            <Show when={!store.canWrite()}>
              <Show
                when={kind.roleChip()}
                fallback={
                  <span class="chip chip-warn" data-testid="view-only" title="You can see this room but not change it">
                    View only
                  </span>
                }
              >
                {(chip) => (
                  <span class="chip chip-success" data-testid={chip().testId} title={chip().title}>
                    {chip().label}
                  </span>
                )}
              </Show>
            </Show>
          </div>
        </div>
        <div class="room-status">
          <ConnectionBadge state={store.connection()} />
          <PresenceAvatars peers={store.peers()} />
          <Show when={location.pathname !== peopleHref}>
            <A
              href={peopleHref}
              class="button button-ghost room-people-link"
              aria-label={peopleLabel()}
              data-testid="room-people-link"
            >
              <Icon name="user" />
              <span class="room-people-label">{peopleLabel()}</span>
            </A>
          </Show>
        </div>
      </header>

      <Alert message={store.rejection()} testId="room-notice">
        <button type="button" class="button button-ghost" onClick={() => store.dismissRejection()}>
          Dismiss
        </button>
      </Alert>

      <div class="room-layout">
        <OpenRoomContext.Provider value={{ kind, pageProps, shell }}>{props.children}</OpenRoomContext.Provider>
      </div>
    </main>
  );
}
