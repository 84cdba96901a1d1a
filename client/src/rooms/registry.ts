/**
 * Every room kind the client knows, one line each: core looks a room's kind up here and
 * names none itself. A new kind is its folder under rooms/ plus its line here.
 */
import type { RoomKind } from "../../../schema/core/roles";
import { dealKind } from "./deal/manifest";
import type { RoomKindManifest } from "./kind";
import { propertyKind } from "./property/manifest";
import { siteKind } from "./site/manifest";

export const roomKinds: Readonly<Record<RoomKind, RoomKindManifest>> = {
  property: propertyKind,
  site: siteKind,
  deal: dealKind,
};
