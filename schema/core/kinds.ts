/**
 * Every room kind, one line each: core reads roles, capabilities, document roots and
 * photo rights from here and names no kind itself. A new kind is its folders plus its line
 * here, in schema/core/protocols.ts (commands, jobs), worker/kinds.ts and client/src/rooms/registry.ts.
 */
import { dealKind } from "../deal/manifest";
import { propertyKind } from "../property/manifest";
import { siteKind } from "../site/manifest";
import { CORE_CAPABILITIES, type CoreCapability, type KindManifest } from "./kind";

export const KINDS = {
  property: propertyKind,
  deal: dealKind,
  site: siteKind,
} as const satisfies Record<string, KindManifest>;

export type RoomKind = keyof typeof KINDS;
export const ROOM_KINDS = Object.keys(KINDS) as [RoomKind, ...RoomKind[]];

/** Every capability: core's, then each kind's own, in registry order. */
export type Capability = CoreCapability | (typeof KINDS)[RoomKind]["capabilities"][number];
export const CAPABILITIES: readonly Capability[] = [
  ...new Set<Capability>([...CORE_CAPABILITIES, ...ROOM_KINDS.flatMap((kind) => KINDS[kind].capabilities)]),
];

/** The manifest of a kind, seen through what core may rely on. */
export function kindOf(kind: RoomKind): KindManifest<Capability> {
  return KINDS[kind];
}
