import { A } from "@solidjs/router";
import { createResource, createSignal, For, Match, onMount, Show, Switch } from "solid-js";
import { Dynamic } from "solid-js/web";
import { createRoomBody, type Room } from "../../../schema/core/api";
import { ROOM_KINDS, type RoomKind } from "../../../schema/core/roles";
import { createRoom, errorMessage, listRooms, postCommand } from "../api";
import { Alert } from "../components/Alert";
import { Icon } from "../components/Icon";
import { TopBar } from "../components/TopBar";
import { kindName, roleName } from "../format";
import { roomKinds } from "../rooms/registry";

const KIND_HINTS: Record<RoomKind, string> = {
  property: "A home: assets, maintenance, reminders",
  deal: "A real-estate transaction: milestones and tasks",
  site: "A cold-storage site: checks and alerts",
};

/** /rooms: the rooms this user belongs to, and a form to create one. */
export function RoomsPage() {
  const [rooms, { refetch, mutate }] = createResource(listRooms);
  const [createError, setCreateError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [justCreated, setJustCreated] = createSignal<string | null>(null);
  let nameRef: HTMLInputElement | undefined;

  onMount(() => {
    document.title = "Your rooms · Haven";
  });

  const onCreate = async (event: SubmitEvent & { currentTarget: HTMLFormElement }) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const parsed = createRoomBody.safeParse({ kind: data.get("kind"), name: data.get("name") });
    if (!parsed.success) {
      setCreateError("Give the room a name (up to 120 characters).");
      nameRef?.focus();
      return;
    }
    setCreateError(null);
    setBusy(true);
    try {
      const room = await createRoom(parsed.data);
      // A new home keeps time where its maker is; they can change it in the home.
      if (room.kind === "property") {
        const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
        await postCommand(room.id, { name: "home.settings", args: { timeZone }, key: crypto.randomUUID() }).catch(
          () => undefined,
        );
      }
      // The new room goes to the top of the list, highlighted, so the user sees where it went.
      mutate((all) => [room, ...(all ?? []).filter((r) => r.id !== room.id)]);
      // A list still on its way was read before this room existed: ask again, so the late
      // answer is dropped instead of taking the new room off the list.
      if (rooms.loading) void refetch();
      setJustCreated(room.id);
      form.reset();
      // The submit button was disabled while saving, which drops focus to the page body:
      // put it on the new room instead, one Enter away from opening it.
      queueMicrotask(() =>
        document
          .querySelector<HTMLElement>(`[data-testid="room-link"][data-room-id="${CSS.escape(room.id)}"]`)
          ?.focus(),
      );
    } catch (error) {
      setCreateError(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <TopBar />
      <main class="page" id="main">
        <div class="page-head">
          <h1>Your rooms</h1>
          <Show when={(rooms.latest ?? []).filter((r) => r.kind === "site" && !r.archived).length > 1}>
            <A href="/sites" class="button" data-testid="sites-overview-link">
              All sites at a glance
            </A>
          </Show>
        </div>

        <section class="card create-room" aria-labelledby="create-room-heading">
          <h2 id="create-room-heading">New room</h2>
          <form class="create-room-form" data-testid="create-room-form" onSubmit={onCreate}>
            <div class="field">
              <label for="room-kind">Kind</label>
              <select id="room-kind" name="kind" data-testid="create-room-kind">
                <For each={[...ROOM_KINDS]}>
                  {(kind) => (
                    <option value={kind} title={KIND_HINTS[kind]}>
                      {kindName(kind)}
                    </option>
                  )}
                </For>
              </select>
            </div>
            <div class="field field-grow">
              <label for="room-name">Name</label>
              <input
                ref={nameRef}
                id="room-name"
                name="name"
                maxLength={120}
                placeholder="e.g. 12 Oak Street"
                autocomplete="off"
                data-testid="create-room-name"
              />
            </div>
            <button type="submit" class="button button-primary" disabled={busy()} data-testid="create-room-submit">
              {busy() ? "Creating…" : "Create room"}
            </button>
          </form>
          <Alert message={createError()} testId="create-room-error" />
        </section>

        <section aria-labelledby="room-list-heading">
          <h2 id="room-list-heading" class="sr-only">
            Rooms
          </h2>
          <Switch>
            <Match when={rooms.error !== undefined}>
              <Alert message={errorMessage(rooms.error)}>
                <button type="button" class="button button-ghost" onClick={() => void refetch()}>
                  Try again
                </button>
              </Alert>
            </Match>
            <Match when={rooms.loading && !rooms.latest}>
              <p class="muted" aria-busy="true">
                Loading rooms…
              </p>
            </Match>
            <Match when={rooms.latest?.length === 0}>
              <div class="card empty">
                <p>No rooms yet. Create one above, or open an invite link someone sent you.</p>
              </div>
            </Match>
            <Match when={rooms.latest}>
              {(list) => (
                <>
                  <ul class="room-list" data-testid="room-list">
                    <For each={list().filter((r) => !r.archived)}>
                      {(room) => <RoomEntry room={room} highlight={room.id === justCreated()} />}
                    </For>
                  </ul>
                  <Show when={list().some((r) => r.archived)}>
                    <details class="archived-rooms" data-testid="archived-rooms">
                      <summary>Archived ({list().filter((r) => r.archived).length})</summary>
                      <ul class="room-list">
                        <For each={list().filter((r) => r.archived)}>
                          {(room) => <RoomEntry room={room} highlight={false} />}
                        </For>
                      </ul>
                    </details>
                  </Show>
                </>
              )}
            </Match>
          </Switch>
        </section>
      </main>
    </>
  );
}

function RoomEntry(props: { room: Room; highlight: boolean }) {
  return (
    <li>
      <A
        href={`/rooms/${encodeURIComponent(props.room.id)}`}
        class="room-card"
        classList={{ "room-card-new": props.highlight }}
        data-testid="room-link"
        data-room-id={props.room.id}
      >
        <span class={`kind-icon kind-${props.room.kind}`} aria-hidden="true">
          <Icon name={props.room.kind} />
        </span>
        <span class="room-card-main">
          <span class="room-card-name">{props.room.name}</span>
          <Show when={roomKinds[props.room.kind].listLine}>
            {(line) => <Dynamic component={line()} room={props.room} />}
          </Show>
          <span class="room-card-meta">
            <span class={`chip caps kind-chip kind-${props.room.kind}`} data-testid="room-kind">
              {kindName(props.room.kind)}
            </span>
            <span class="chip chip-muted caps" data-testid="room-role">
              {roleName(props.room.role)}
            </span>
          </span>
        </span>
        <span class="chevron" aria-hidden="true">
          ›
        </span>
      </A>
    </li>
  );
}
