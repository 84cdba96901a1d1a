import { createSignal, Show } from "solid-js";

/**
 * Delete for a task or an asset: the button asks in place, naming the record and saying that
 * it cannot be undone (archive is the way back). When something stands in the way (`blocked`),
 * the same place says what, and offers no delete. Escape or Cancel puts the focus back on the button.
 * Test ids: `<testId>`, `<testId>-prompt`, `<testId>-confirm`, `<testId>-cancel`.
 */
export function DeleteRecord(props: {
  /** The button's accessible name, naming the record: "Delete task Clean gutters". */
  label: string;
  /** What is asked, naming the record: "Delete the task “Clean gutters” and its history?" */
  question: string;
  /** Why it cannot be deleted now, or null. */
  blocked: string | null;
  disabled?: boolean;
  onDelete: () => void;
  testId: string;
}) {
  const [asking, setAsking] = createSignal(false);
  let askRef: HTMLButtonElement | undefined;
  let firstRef: HTMLButtonElement | undefined;

  const ask = () => {
    setAsking(true);
    firstRef?.focus();
  };
  const cancel = () => {
    setAsking(false);
    askRef?.focus();
  };

  return (
    <Show
      when={asking()}
      fallback={
        <button
          ref={askRef}
          type="button"
          class="button button-ghost button-danger"
          aria-label={props.label}
          disabled={props.disabled}
          data-testid={props.testId}
          onClick={ask}
        >
          Delete
        </button>
      }
    >
      <fieldset class="delete-record" onKeyDown={(e) => e.key === "Escape" && cancel()}>
        <legend data-testid={`${props.testId}-prompt`}>
          {props.blocked ?? `${props.question} This cannot be undone.`}
        </legend>
        <div class="confirm">
          <Show when={!props.blocked}>
            <button
              ref={firstRef}
              type="button"
              class="button button-danger"
              disabled={props.disabled}
              data-testid={`${props.testId}-confirm`}
              onClick={() => {
                setAsking(false);
                props.onDelete();
              }}
            >
              Delete for good
            </button>
          </Show>
          <button
            ref={(el) => {
              if (props.blocked) firstRef = el;
            }}
            type="button"
            class="button button-ghost"
            data-testid={`${props.testId}-cancel`}
            onClick={cancel}
          >
            {props.blocked ? "OK" : "Cancel"}
          </button>
        </div>
      </fieldset>
    </Show>
  );
}
