import { initials } from "../format";

/** A coloured circle with a person's initials; `title` carries the full name. */
export function Avatar(props: { name: string; color: string; size?: "sm" | "md"; testId?: string; label?: string }) {
  return (
    <span
      class={`avatar avatar-${props.size ?? "md"}`}
      style={{ "background-color": props.color }}
      title={props.name}
      role="img"
      aria-label={props.label ?? props.name}
      data-testid={props.testId}
    >
      {initials(props.name)}
    </span>
  );
}
