import type { ConnectionState } from "../room";

const LABELS: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

/** Whether edits are reaching the room right now. Offline edits are kept and sent later. */
export function ConnectionBadge(props: { state: ConnectionState }) {
  return (
    <span
      class={`connection connection-${props.state}`}
      role="status"
      title={
        props.state === "connected"
          ? "Changes are live"
          : "Changes are saved on this device and sent when the connection returns"
      }
    >
      <span class="connection-dot" aria-hidden="true" />
      <span data-testid="connection-state">{LABELS[props.state]}</span>
    </span>
  );
}
