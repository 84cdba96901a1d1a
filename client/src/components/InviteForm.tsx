import { createSignal, For, Show } from "solid-js";
import { createInviteBody, type Invite, type Room } from "../../../schema/core/api";
import { createInvite, errorMessage } from "../api";
import { formatDateTime } from "../format";
import { Alert } from "./Alert";
import { Icon } from "./Icon";

/**
 * Invites someone by email with a role: the server emails them the
 * link, which is shown here too, to copy and send another way.
 */
export function InviteForm(props: { room: Room; roles: string[]; onCreated?: () => void }) {
  const [invite, setInvite] = createSignal<Invite | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [copied, setCopied] = createSignal(false);
  let linkRef: HTMLElement | undefined;

  const defaultRole = () => (props.roles.includes("editor") ? "editor" : (props.roles[props.roles.length - 1] ?? ""));

  const onSubmit = async (event: SubmitEvent & { currentTarget: HTMLFormElement }) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const parsed = createInviteBody.safeParse({ email: data.get("email"), role: data.get("role") });
    if (!parsed.success) {
      setError("Enter the email address of the person to invite.");
      return;
    }
    setError(null);
    setCopied(false);
    setBusy(true);
    try {
      setInvite(await createInvite(props.room.id, parsed.data));
      props.onCreated?.();
      // Only the email is cleared: the role stays for the next invite, as people invite in batches.
      const email = form.elements.namedItem("email");
      if (email instanceof HTMLInputElement) email.value = "";
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // No clipboard access (insecure origin or permission denied): select the link so the user can copy it.
      if (linkRef) window.getSelection()?.selectAllChildren(linkRef);
      setError("Couldn't copy automatically. The link is selected: press Ctrl+C (or ⌘C) to copy it.");
    }
  };

  return (
    <section class="invite" aria-labelledby="invite-heading">
      <h3 id="invite-heading">Invite someone</h3>
      <form class="stack" data-testid="invite-form" novalidate onSubmit={onSubmit}>
        <div class="field">
          <label for="invite-email">Email</label>
          <input
            id="invite-email"
            name="email"
            type="email"
            autocomplete="off"
            placeholder="name@example.com"
            data-testid="invite-email"
          />
        </div>
        <div class="field">
          <label for="invite-role">Role</label>
          <select id="invite-role" name="role" data-testid="invite-role">
            <For each={props.roles}>
              {(role) => (
                <option value={role} selected={role === defaultRole()}>
                  {role}
                </option>
              )}
            </For>
          </select>
        </div>
        <button
          type="submit"
          class="button button-primary"
          disabled={busy() || props.roles.length === 0}
          data-testid="invite-submit"
        >
          {busy() ? "Sending invite…" : "Send invite"}
        </button>
      </form>
      <Alert message={error()} testId="invite-error" />
      <Show when={invite()}>
        {(created) => (
          <div class="invite-result" data-testid="invite-result">
            <p class="small">
              We emailed this link to <strong>{created().email}</strong>; you can also copy it and send it yourself. It
              makes them <span class="role-name">{created().role}</span> and works until{" "}
              {formatDateTime(created().expiresAt)}.
            </p>
            <div class="copy-row">
              <code ref={linkRef} class="invite-link" data-testid="invite-link">
                {created().url}
              </code>
              <button
                type="button"
                class="button button-ghost"
                data-testid="invite-copy"
                onClick={() => void copy(created().url)}
              >
                <Icon name="copy" />
                {copied() ? "Copied" : "Copy"}
              </button>
            </div>
          </div>
        )}
      </Show>
    </section>
  );
}
