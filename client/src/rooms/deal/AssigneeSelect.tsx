/** Choosing whom a task is for: a role (whoever holds it) or a person of the deal. */
import { For } from "solid-js";
import type { Assignee } from "../../../../schema/deal/records";
import { ASSIGNEE_ROLES } from "../../../../schema/deal/templates";
import type { Person } from "../kind";
import { roleWords } from "./labels";

/** An assignee as the command takes it (a person's name is the room's to fill in). */
export type AssigneeChoice = { kind: "user"; userId: string } | { kind: "role"; role: (typeof ASSIGNEE_ROLES)[number] };

export function assigneeValue(assignee: Assignee | null | undefined): string {
  if (!assignee) return "";
  return assignee.kind === "role" ? `role:${assignee.role}` : `user:${assignee.userId}`;
}

export function parseAssignee(value: string): AssigneeChoice | null {
  if (value.startsWith("user:")) return { kind: "user", userId: value.slice(5) };
  const role = ASSIGNEE_ROLES.find((r) => `role:${r}` === value);
  return role ? { kind: "role", role } : null;
}

export function AssigneeSelect(props: {
  id: string;
  name?: string;
  value: string;
  people: Person[];
  disabled?: boolean;
  onChange?: (value: string) => void;
  testId?: string;
}) {
  return (
    <select
      id={props.id}
      name={props.name}
      value={props.value}
      disabled={props.disabled}
      data-testid={props.testId}
      onChange={(e) => props.onChange?.(e.currentTarget.value)}
    >
      <option value="">Unassigned</option>
      <optgroup label="A role">
        <For each={ASSIGNEE_ROLES}>{(role) => <option value={`role:${role}`}>{roleWords(role)}</option>}</For>
      </optgroup>
      <optgroup label="A person">
        <For each={props.people}>{(p) => <option value={`user:${p.id}`}>{p.name}</option>}</For>
      </optgroup>
    </select>
  );
}
