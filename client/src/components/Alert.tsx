import { type JSX, Show } from "solid-js";

/** An error region that screen readers announce as soon as it has text. */
export function Alert(props: { message: string | null | undefined; testId?: string; children?: JSX.Element }) {
  return (
    <div role="alert" class="alert-region" data-testid={props.testId}>
      <Show when={props.message}>
        <div class="alert">
          <span>{props.message}</span>
          {props.children}
        </div>
      </Show>
    </div>
  );
}
