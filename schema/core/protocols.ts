/**
 * Every room kind's commands and jobs, one line each, for the server and the API's
 * description. Apart from the manifests (schema/core/kinds.ts) so the client's first page
 * does not carry every kind's command schemas.
 */
import { dealProtocol } from "../deal/protocol";
import { propertyProtocol } from "../property/protocol";
import { siteProtocol } from "../site/protocol";
import type { KindProtocol } from "./kind";
import type { RoomKind } from "./kinds";

export const PROTOCOLS: Readonly<Record<RoomKind, KindProtocol>> = {
  property: propertyProtocol,
  deal: dealProtocol,
  site: siteProtocol,
};

/** Every command of every kind, named, with its arguments' schema. */
export const KIND_COMMANDS: ReadonlyArray<readonly [name: string, args: KindProtocol["commands"][string]]> =
  Object.values(PROTOCOLS).flatMap((protocol) => Object.entries(protocol.commands));
