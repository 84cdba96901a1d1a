import { createMemo, For, Show } from "solid-js";
import type { Peer } from "../room";
import { Avatar } from "./Avatar";

/** More than this many faces would crowd a phone-width header. */
const MAX_AVATARS = 8;

/** Everyone in the room right now, one avatar per person however many tabs they have open. */
export function PresenceAvatars(props: { peers: Peer[] }) {
  const people = createMemo(() => {
    const byUser = new Map<string, Peer>();
    for (const peer of props.peers) {
      const seen = byUser.get(peer.userId);
      if (!seen || (peer.self && !seen.self)) byUser.set(peer.userId, peer);
    }
    return [...byUser.values()].sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
  });
  const hidden = () => Math.max(0, people().length - MAX_AVATARS);

  return (
    <ul class="presence" aria-label={`${people().length} ${people().length === 1 ? "person" : "people"} here`}>
      <For each={people().slice(0, MAX_AVATARS)}>
        {(peer) => (
          <li>
            <Avatar
              name={peer.name}
              color={peer.color}
              testId="presence-avatar"
              label={peer.self ? `${peer.name} (you)` : peer.name}
            />
          </li>
        )}
      </For>
      <Show when={hidden() > 0}>
        <li class="avatar avatar-md avatar-more" title={`${hidden()} more`}>
          +{hidden()}
        </li>
      </Show>
    </ul>
  );
}
