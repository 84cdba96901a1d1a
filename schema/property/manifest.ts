/** A home, as core sees it: its roles, document roots and who adds photos. */
import { BASE_ROLES, type KindManifest } from "../core/kind";
import { PROPERTY_SERVER_ROOTS } from "./records";

const CAPABILITIES = [
  /** Add, change and archive records (a home's assets and tasks). */
  "records.write",
  /** Complete, skip or snooze any task. */
  "tasks.complete",
  /** Complete tasks assigned to oneself, and nothing else. */
  "tasks.complete_own",
  /** Approve or return the proof someone else submitted for a task that needs one. */
  "tasks.review",
] as const;

/** What the roles that keep a home's records add to the base roles. */
const RECORD_KEEPING = CAPABILITIES;

export const propertyKind = {
  noun: "home",
  capabilities: CAPABILITIES,
  roles: {
    owner: [...BASE_ROLES.owner, ...RECORD_KEEPING],
    admin: [...BASE_ROLES.admin, ...RECORD_KEEPING],
    editor: [...BASE_ROLES.editor, ...RECORD_KEEPING],
    viewer: BASE_ROLES.viewer,
    /** A child or helper of the household: sees the home and completes tasks assigned to them. */
    member: ["room.read", "tasks.complete_own"],
  },
  serverRoots: PROPERTY_SERVER_ROOTS,
  /** Whoever keeps records or completes tasks (even only their own). */
  photoCapabilities: ["records.write", "tasks.complete", "tasks.complete_own"],
} as const satisfies KindManifest<(typeof CAPABILITIES)[number]>;
