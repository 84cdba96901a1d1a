import { createSignal, Show } from "solid-js";

/**
 * A destructive button that asks once more in place, instead of a blocking dialog.
 * Test ids: `<testId>`, then `<testId>-confirm` and `<testId>-cancel`.
 */
export function ConfirmButton(props: {
  label: string;
  ariaLabel: string;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
  testId: string;
}) {
  const [asking, setAsking] = createSignal(false);
  let confirmRef: HTMLButtonElement | undefined;
  let askRef: HTMLButtonElement | undefined;

  const ask = () => {
    setAsking(true);
    confirmRef?.focus();
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
          aria-label={props.ariaLabel}
          disabled={props.disabled}
          data-testid={props.testId}
          onClick={ask}
        >
          {props.label}
        </button>
      }
    >
      {/* biome-ignore lint/a11y/noStaticElementInteractions: Escape bubbles
         up from the two buttons inside; the wrapper is not a control */}
      <span class="confirm" onKeyDown={(e) => e.key === "Escape" && cancel()}>
        <button
          ref={confirmRef}
          type="button"
          class="button button-danger"
          disabled={props.disabled}
          data-testid={`${props.testId}-confirm`}
          onClick={() => {
            setAsking(false);
            props.onConfirm();
          }}
        >
          {props.confirmLabel}
        </button>
        <button type="button" class="button button-ghost" data-testid={`${props.testId}-cancel`} onClick={cancel}>
          Cancel
        </button>
      </span>
    </Show>
  );
}
