/**
 * What a room kind plugs into the client: its store, its front page and its sub-pages
 * (routes below `/rooms/:roomId/`). A kind writes one typed definition with
 * `defineRoomKind`; core (the room page and the router) sees only the erased
 * `RoomKindManifest` from `registry.ts`, and names no kind itself.
 */
import { createContext, type JSX, mergeProps, useContext } from "solid-js";
import type { Member, Room, User } from "../../../schema/core/api";
import type { RoomStore } from "../room";

/** Someone a record can be assigned to. */
export interface Person {
  id: string;
  name: string;
}

/** What core hands every kind when it opens a room. */
export interface RoomOpening {
  room: Room;
  user: User;
  /** The shared connection: document, presence, role, checklists. */
  roomStore: RoomStore;
}

/** What core hands a kind's pages while the room is open. */
export interface RoomPageProps {
  roomId: string;
  roomStore: RoomStore;
  /** The members list where this user may read it, else undefined. */
  members: Member[] | undefined;
  /** People this client knows: the members list where readable, else itself and whoever is present. */
  people: Person[];
  nameOf: (userId: string) => string | null;
}

/** A chip the header shows instead of "View only" for a role that writes some things. */
export interface RoleChip {
  label: string;
  title: string;
  testId: string;
}

/** A sub-page of a kind, at `path` below the room (a router path such as `tasks/:taskId`). */
export interface KindPage<S> {
  path: string;
  /** Reads its own params (`useParams`, `useSearchParams`). */
  view: (props: RoomPageProps & { store: S }) => JSX.Element;
}

/** One kind's definition, typed by its store `S`. */
export interface RoomKindDefinition<S> {
  /** Builds the kind's store once per opened room, inside the room's owner. */
  createStore: (opening: RoomOpening) => S;
  /** The room's front page. */
  main: (props: RoomPageProps & { store: S }) => JSX.Element;
  pages?: KindPage<S>[];
  /** Commands made here that wait for the network (shown in the header). */
  waiting?: (store: S) => number;
  roleChip?: (store: S) => RoleChip | null;
  /** Everyone the kind's records name (e.g. assignees), so a form can show them by name. */
  namedUsers?: (store: S) => string[];
  /** A line under the room's name on the rooms list (a deal's stage and days to closing), read without opening it. */
  listLine?: (props: { room: Room }) => JSX.Element;
}

/** A kind opened on one room: its store bound into every view. */
export interface OpenedRoomKind {
  main: (props: RoomPageProps) => JSX.Element;
  /** Pages by router path. */
  pages: ReadonlyMap<string, (props: RoomPageProps) => JSX.Element>;
  waiting: () => number;
  roleChip: () => RoleChip | null;
  namedUsers: () => string[];
}

/** The erased form core iterates. */
export interface RoomKindManifest {
  /** Router paths of the kind's sub-pages, known before any room opens. */
  pagePaths: readonly string[];
  listLine?: (props: { room: Room }) => JSX.Element;
  open: (opening: RoomOpening) => OpenedRoomKind;
}

/** Turns a kind's typed definition into the manifest the registry lists. */
export function defineRoomKind<S>(definition: RoomKindDefinition<S>): RoomKindManifest {
  const pages = definition.pages ?? [];
  return {
    pagePaths: pages.map((page) => page.path),
    ...(definition.listLine ? { listLine: definition.listLine } : {}),
    open(opening) {
      const store = definition.createStore(opening);
      return {
        main: (props) => definition.main(mergeProps(props, { store })),
        pages: new Map(
          pages.map((page) => [page.path, (props: RoomPageProps) => page.view(mergeProps(props, { store }))] as const),
        ),
        waiting: () => definition.waiting?.(store) ?? 0,
        roleChip: () => definition.roleChip?.(store) ?? null,
        namedUsers: () => definition.namedUsers?.(store) ?? [],
      };
    },
  };
}

/** What the room's own members-and-settings page needs from the open room. */
export interface RoomShell {
  /** The room as last loaded or changed here (a rename, an archive). */
  room: () => Room;
  setRoom: (room: Room) => void;
  user: User;
  role: () => string;
  /** Synced with the room: the page waits for it, as the room's own pages do. */
  loaded: () => boolean;
  canManageMembers: () => boolean;
  canManageRoom: () => boolean;
  members: () => Member[] | undefined;
  membersError: () => string | null;
  reloadMembers: () => void;
  /**
   * Called with true as this user starts to leave the room of their own accord (the socket's "removed" is
   * then no news), and with false if leaving failed.
   */
  leaving: (yes: boolean) => void;
}

/** The open room, for the route components below `/rooms/:roomId` to render the kind's pages. */
export interface OpenRoom {
  kind: OpenedRoomKind;
  pageProps: RoomPageProps;
  shell: RoomShell;
}

export const OpenRoomContext = createContext<OpenRoom>();

export function useOpenRoom(): OpenRoom {
  const open = useContext(OpenRoomContext);
  if (!open) throw new Error("useOpenRoom outside an open room");
  return open;
}
