/** The only place that turns a room id into a typed Durable Object stub. */
import type { RoomKind } from "../schema/core/roles";
import type { HavenRoom } from "./core/HavenRoom";
import type { PropertyRoom } from "./property/PropertyRoom";
import type { SiteRoom } from "./site/SiteRoom";

/** Any room's stub, for what every kind answers (membership changes, deletion). */
export function roomStub(env: Env, kind: RoomKind, roomId: string): DurableObjectStub<HavenRoom> {
  const namespace = env[kind] as DurableObjectNamespace<HavenRoom>;
  return namespace.get(namespace.idFromName(roomId));
}

/** A property room's stub, for its records and commands. */
export function propertyStub(env: Env, roomId: string): DurableObjectStub<PropertyRoom> {
  return env.property.get(env.property.idFromName(roomId));
}

/** A site room's stub, for sensor ingestion and its keys. */
export function siteStub(env: Env, roomId: string): DurableObjectStub<SiteRoom> {
  return env.site.get(env.site.idFromName(roomId));
}
