/**
 * "Save as a template", for roles with `templates.save`: the deal's milestones and tasks become a template of the
 * caller's that a new deal can start from (the Worker builds it from the room's structure).
 */
import { createSignal, Show } from "solid-js";
import { errorMessage } from "../../api";
import { Alert } from "../../components/Alert";
import { showToast } from "../../toast";
import { saveTemplate } from "./api";

export function SaveTemplate(props: { roomId: string; dealTitle: string }) {
  const [open, setOpen] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);

  const onSubmit = async (e: SubmitEvent & { currentTarget: HTMLFormElement }) => {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget).get("name") ?? "").trim();
    if (!name) {
      setError("Give the template a name.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = await saveTemplate(props.roomId, name);
      showToast(`Saved as the template “${saved.name}” (${saved.milestones} milestones, ${saved.tasks} tasks).`);
      setOpen(false);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="deal-save-template">
      <Show
        when={open()}
        fallback={
          <button
            type="button"
            class="button button-ghost button-small"
            onClick={() => setOpen(true)}
            data-testid="save-template"
          >
            Save as a template
          </button>
        }
      >
        <form class="row" onSubmit={(e) => void onSubmit(e)}>
          <label class="sr-only" for="template-name">
            Template name
          </label>
          <input
            id="template-name"
            name="name"
            maxLength={120}
            value={`${props.dealTitle} (template)`.slice(0, 120)}
            data-testid="save-template-name"
            autofocus
          />
          <button
            type="submit"
            class="button button-primary button-small"
            disabled={busy()}
            data-testid="save-template-submit"
          >
            Save
          </button>
          <button type="button" class="button button-ghost button-small" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </form>
      </Show>
      <Alert message={error()} testId="save-template-error" />
    </div>
  );
}
