import { useNavigate } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import { type Room, updateRoomBody } from "../../../schema/core/api";
import { can } from "../../../schema/core/roles";
import { deleteRoom, errorMessage, updateRoom } from "../api";
import { showToast } from "../toast";
import { Alert } from "./Alert";
import { ConfirmButton } from "./ConfirmButton";
import { FailedDeliveries } from "./FailedDeliveries";

/**
 * Rename, archive or delete a room: owners and admins rename and archive, only owners
 * delete. Owners and admins also see the room's failed deliveries here.
 */
export function RoomSettings(props: { room: Room; role: string; onChange: (room: Room) => void }) {
  const navigate = useNavigate();
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const canDelete = () => can(props.room.kind, props.role, "room.delete");

  const save = async (change: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await change();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const rename = (e: SubmitEvent) => {
    e.preventDefault();
    const parsed = updateRoomBody.safeParse({ name: new FormData(e.currentTarget as HTMLFormElement).get("name") });
    if (!parsed.success || parsed.data.name === undefined) {
      setError("A room needs a name of 1 to 120 characters.");
      return;
    }
    const name = parsed.data.name;
    void save(async () => {
      props.onChange(await updateRoom(props.room.id, { name }));
      showToast("Room renamed.");
    });
  };

  const setArchived = (archived: boolean) =>
    void save(async () => {
      props.onChange(await updateRoom(props.room.id, { archived }));
      showToast(
        archived ? "Room archived. It stays readable; find it under Archived." : "Room brought back from the archive.",
      );
    });

  const remove = () =>
    void save(async () => {
      await deleteRoom(props.room.id);
      showToast(`“${props.room.name}” was deleted.`);
      navigate("/rooms");
    });

  return (
    <section class="card room-settings" aria-labelledby="room-settings-title" data-testid="room-settings">
      <h2 id="room-settings-title">Room</h2>
      <Alert message={error()} />
      <form class="stack" onSubmit={rename}>
        <label for="room-rename">Name</label>
        <div class="row">
          <input
            id="room-rename"
            name="name"
            value={props.room.name}
            maxLength={120}
            required
            data-testid="room-rename-input"
          />
          <button type="submit" class="button" disabled={busy()} data-testid="room-rename-submit">
            Rename
          </button>
        </div>
      </form>
      <div class="row">
        <Show
          when={props.room.archived}
          fallback={
            <button
              type="button"
              class="button button-ghost"
              disabled={busy()}
              data-testid="room-archive"
              onClick={() => setArchived(true)}
            >
              Archive
            </button>
          }
        >
          <button
            type="button"
            class="button button-ghost"
            disabled={busy()}
            data-testid="room-unarchive"
            onClick={() => setArchived(false)}
          >
            Bring back from archive
          </button>
        </Show>
        <Show when={canDelete()}>
          <ConfirmButton
            label="Delete room"
            ariaLabel={`Delete room ${props.room.name} for everyone`}
            confirmLabel="Delete for everyone"
            onConfirm={remove}
            disabled={busy()}
            testId="room-delete"
          />
        </Show>
      </div>
      <FailedDeliveries roomId={props.room.id} />
    </section>
  );
}
