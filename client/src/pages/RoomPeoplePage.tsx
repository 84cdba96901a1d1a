import { A, useNavigate } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import { errorMessage, removeMember } from "../api";
import { Alert } from "../components/Alert";
import { ConfirmButton } from "../components/ConfirmButton";
import { MembersPanel } from "../components/MembersPanel";
import { RoomSettings } from "../components/RoomSettings";
import { roleName } from "../format";
import { roomHref } from "../links";
import { type RoomShell, useOpenRoom } from "../rooms/kind";
import { showToast } from "../toast";

/** The path of a room's members-and-settings page. */
export function roomPeopleHref(roomId: string): string {
  return `${roomHref(roomId)}/people`;
}

/**
 * /rooms/:roomId/people: who is in the room and the room's settings, on a page of their
 * own so they take no room from the room's work. Owners and admins manage members and
 * invites and rename or archive the room; everyone may leave it here.
 */
export function RoomPeopleRoute() {
  const { shell } = useOpenRoom();
  return (
    <section class="room-people stack" aria-labelledby="room-people-title" data-testid="room-people">
      <A href={roomHref(shell.room().id)} class="back-link" data-testid="room-people-back">
        ‹ Back to {shell.room().name}
      </A>
      <h2 id="room-people-title">{shell.canManageMembers() ? "Members & settings" : "Your membership"}</h2>
      <Show when={shell.loaded()} fallback={<p class="muted">Loading…</p>}>
        <div class="room-people-grid">
          <Show when={shell.canManageMembers()} fallback={<LeaveRoom shell={shell} />}>
            <MembersPanel
              room={shell.room()}
              myRole={shell.role()}
              myUserId={shell.user.id}
              members={shell.members()}
              loadError={shell.membersError()}
              reload={shell.reloadMembers}
              leaving={shell.leaving}
            />
          </Show>
          <Show when={shell.canManageRoom()}>
            <RoomSettings room={shell.room()} role={shell.role()} onChange={shell.setRoom} />
          </Show>
        </div>
      </Show>
    </section>
  );
}

/** For a member who does not manage members: their role, and leaving the room. */
function LeaveRoom(props: { shell: RoomShell }) {
  const navigate = useNavigate();
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const leave = async () => {
    setBusy(true);
    setError(null);
    props.shell.leaving(true);
    try {
      await removeMember(props.shell.room().id, props.shell.user.id);
      showToast(`You left “${props.shell.room().name}”.`);
      navigate("/rooms", { replace: true });
    } catch (caught) {
      props.shell.leaving(false);
      setError(errorMessage(caught));
      setBusy(false);
    }
  };
  return (
    <section class="card stack" aria-labelledby="leave-room-title" data-testid="leave-room">
      <h3 id="leave-room-title">You</h3>
      <p>
        You are <span class="caps">{roleName(props.shell.role())}</span> in this room. The room's owners and admins
        manage who else is in it.
      </p>
      <Alert message={error()} />
      <div class="row">
        <ConfirmButton
          label="Leave this room"
          ariaLabel="Leave this room"
          confirmLabel="Leave room"
          testId="leave-room-button"
          disabled={busy()}
          onConfirm={() => void leave()}
        />
      </div>
    </section>
  );
}
