import { useNavigate } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import type { Member, PendingInvite, Room } from "../../../schema/core/api";
import { colorFor } from "../../../schema/core/presence";
import { KIND_ROLES, mayGrant } from "../../../schema/core/roles";
import { errorMessage, listInvites, removeMember, revokeInvite, updateMemberRole } from "../api";
import { formatDateTime } from "../format";
import { showToast } from "../toast";
import { Alert } from "./Alert";
import { Avatar } from "./Avatar";
import { ConfirmButton } from "./ConfirmButton";
import { InviteForm } from "./InviteForm";

interface MembersPanelProps {
  room: Room;
  myRole: string;
  myUserId: string;
  members: Member[] | undefined;
  loadError: string | null;
  reload: () => void;
  /** Told as this user starts to leave from their own row (true), and if that failed (false). */
  leaving: (yes: boolean) => void;
}

/** Owners and admins: who is in the room, their roles, removal, and invitations (pending ones can be withdrawn). */
export function MembersPanel(props: MembersPanelProps) {
  const navigate = useNavigate();
  const [error, setError] = createSignal<string | null>(null);
  const [busyUser, setBusyUser] = createSignal<string | null>(null);
  const roles = () => Object.keys(KIND_ROLES[props.room.kind]);
  /** Roles this user may hand out; nobody grants more than they hold. */
  const grantable = () => roles().filter((role) => mayGrant(props.room.kind, props.myRole, role));
  // Removing or demoting a member withdraws invites they made, so this reloads with the members.
  const [pending, { refetch: reloadInvites }] = createResource(() => props.room.id, listInvites);
  /** The list is an extra: if it cannot load, the panel shows the rest without it. */
  const pendingInvites = () => (pending.error === undefined ? pending() : undefined);

  const run = async (userId: string, action: () => Promise<unknown>) => {
    setError(null);
    setBusyUser(userId);
    try {
      await action();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusyUser(null);
      props.reload();
      void reloadInvites();
    }
  };

  const leave = async (userId: string) => {
    setError(null);
    setBusyUser(userId);
    props.leaving(true);
    try {
      await removeMember(props.room.id, userId);
      showToast(`You left “${props.room.name}”.`);
      navigate("/rooms", { replace: true });
    } catch (caught) {
      props.leaving(false);
      setError(errorMessage(caught));
      setBusyUser(null);
    }
  };

  /** The room's only owner can neither leave nor step down: the server refuses both, so neither is offered. */
  const soleOwner = (member: Member) =>
    member.role === "owner" && (props.members ?? []).filter((m) => m.role === "owner").length === 1;

  const changeRole = (member: Member, select: HTMLSelectElement) => {
    const role = select.value;
    // Until the server answers, the select shows the old role: the list reloads either way.
    select.value = member.role;
    void run(member.userId, () => updateMemberRole(props.room.id, member.userId, role));
  };

  return (
    <section class="card members" aria-labelledby="members-heading" data-testid="members-panel">
      <h2 id="members-heading">Members</h2>
      <Alert message={error() ?? props.loadError} testId="members-error" />
      <Show when={props.members} fallback={<p class="muted small">{props.loadError ? "" : "Loading members…"}</p>}>
        {(members) => (
          <ul class="member-list">
            <For each={members()}>
              {(member) => {
                const manageable = () =>
                  member.userId !== props.myUserId && mayGrant(props.room.kind, props.myRole, member.role);
                const self = member.userId === props.myUserId;
                return (
                  <li class="member" data-testid="member-row" data-user-id={member.userId}>
                    <Avatar name={member.name} color={colorFor(member.userId)} />
                    <div class="member-who">
                      <span class="member-name">
                        {member.name}
                        <Show when={self}>
                          <span class="muted"> (you)</span>
                        </Show>
                      </span>
                      <span class="muted small member-email">{member.email}</span>
                    </div>
                    <div class="member-controls">
                      <label class="sr-only" for={`role-${member.userId}`}>
                        Role for {member.name}
                      </label>
                      <select
                        id={`role-${member.userId}`}
                        data-testid="member-role"
                        disabled={
                          (!self && !manageable()) || (self && soleOwner(member)) || busyUser() === member.userId
                        }
                        onChange={(e) => changeRole(member, e.currentTarget)}
                      >
                        <For each={[...new Set([member.role, ...grantable()])]}>
                          {(role) => (
                            <option value={role} selected={role === member.role}>
                              {role}
                            </option>
                          )}
                        </For>
                      </select>
                      <Show
                        when={!(self && soleOwner(member))}
                        fallback={
                          <span class="muted small member-note" data-testid="sole-owner-note">
                            Only owner: make someone else owner to leave.
                          </span>
                        }
                      >
                        <ConfirmButton
                          label={self ? "Leave" : "Remove"}
                          ariaLabel={self ? "Leave this room" : `Remove ${member.name}`}
                          confirmLabel={self ? "Leave room" : "Remove"}
                          testId="member-remove"
                          disabled={(!self && !manageable()) || busyUser() === member.userId}
                          onConfirm={() =>
                            void (self
                              ? leave(member.userId)
                              : run(member.userId, () => removeMember(props.room.id, member.userId)))
                          }
                        />
                      </Show>
                    </div>
                  </li>
                );
              }}
            </For>
          </ul>
        )}
      </Show>
      <Show when={pendingInvites()?.length}>
        <section class="pending-invites" aria-labelledby="pending-invites-heading">
          <h3 id="pending-invites-heading">Pending invites</h3>
          <ul class="member-list">
            <For each={pendingInvites()}>
              {(invite: PendingInvite) => (
                <li class="member" data-testid="pending-invite">
                  <div class="member-who">
                    <span class="member-name member-email">{invite.email}</span>
                    <span class="muted small">
                      <span class="role-name">{invite.role}</span> · by {invite.invitedBy.name} · until{" "}
                      {formatDateTime(invite.expiresAt)}
                    </span>
                  </div>
                  <div class="member-controls">
                    <ConfirmButton
                      label="Withdraw"
                      ariaLabel={`Withdraw the invite for ${invite.email}`}
                      confirmLabel="Withdraw invite"
                      testId="invite-revoke"
                      disabled={!mayGrant(props.room.kind, props.myRole, invite.role) || busyUser() === invite.id}
                      onConfirm={() => void run(invite.id, () => revokeInvite(props.room.id, invite.id))}
                    />
                  </div>
                </li>
              )}
            </For>
          </ul>
        </section>
      </Show>
      <InviteForm room={props.room} roles={grantable()} onCreated={() => void reloadInvites()} />
    </section>
  );
}
