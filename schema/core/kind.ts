/**
 * What a room kind plugs into core: its manifest's shape, and the capabilities and base
 * roles every kind builds its roles from. This module imports no kind, so each kind's
 * manifest can import it while the registry (schema/core/kinds.ts) imports the manifests.
 */
import type { z } from "zod";
import type { SharedRoots } from "./doc-shape";

/** The capabilities core itself checks; a kind adds its own in its manifest. */
export const CORE_CAPABILITIES = [
  /** See the room, its document and live updates. */
  "room.read",
  /** Change the co-edited document (checklists and the like). */
  "doc.write",
  /** Invite people with a role the inviter may grant. */
  "members.invite",
  /** Change roles and remove members. */
  "members.manage",
  /** Grant or take away the owner role. */
  "members.manage_owners",
  /** Rename the room, archive it or bring it back. */
  "room.manage",
  /** Delete the room and everything in it, for good. */
  "room.delete",
] as const;
export type CoreCapability = (typeof CORE_CAPABILITIES)[number];

/** The four roles every kind has, which a kind may extend with its own capabilities. */
export const BASE_ROLES = {
  owner: [
    "room.read",
    "doc.write",
    "members.invite",
    "members.manage",
    "members.manage_owners",
    "room.manage",
    "room.delete",
  ],
  admin: ["room.read", "doc.write", "members.invite", "members.manage", "room.manage"],
  editor: ["room.read", "doc.write"],
  viewer: ["room.read"],
} as const satisfies Record<string, readonly CoreCapability[]>;
export type BaseRole = keyof typeof BASE_ROLES;

/**
 * One room kind, as both sides need it: data only, no runtime code, importable by the
 * client. `C` is the kind's own capabilities.
 */
export interface KindManifest<C extends string = string> {
  /** What people call a room of this kind, in a sentence or on a chip ("home"). */
  readonly noun: string;
  /** Capabilities only this kind's rooms check, in the order the docs list them. */
  readonly capabilities: readonly C[];
  /** Every role of the kind (the four base roles among them) and the capabilities it carries. */
  readonly roles: Readonly<Record<BaseRole, readonly (CoreCapability | C)[]>> &
    Readonly<Record<string, readonly (CoreCapability | C)[]>>;
  /** Document roots only the room writes (its records' mirror); a client update touching one is refused. */
  readonly serverRoots: readonly string[];
  /** Roots clients write directly beyond core's (checklists), with their shape checks. */
  readonly sharedRoots?: SharedRoots;
  /** Who may add photos: any one of these capabilities will do. None: the kind takes no photos. */
  readonly photoCapabilities: readonly (CoreCapability | C)[];
}

/**
 * What a kind's rooms accept beyond the document: its commands and its scheduled jobs, in
 * `schema/<kind>/protocol.ts`. Kept apart from the manifest because the schemas are large
 * (a home's recurrence rules): the client's first page loads the manifests, not these.
 */
export interface KindProtocol {
  /** The kind's commands: name to the zod schema of its arguments. */
  readonly commands: Readonly<Record<string, z.ZodType>>;
  /** The kind's scheduled jobs (room alarms): job kind to the zod schema of its payload. */
  readonly jobs: Readonly<Record<string, z.ZodType>>;
}
