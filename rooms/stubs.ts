/** The only place that turns a room id into a typed Durable Object stub. */
import type { RoomKind } from "../schema/core/roles";
import type { HavenRoom } from "./core/HavenRoom";

/**
 * Every binding of a room kind holds a HavenRoom subclass. Each kind adds RPC methods of its own, and a namespace's
 * type parameter is compared both ways, so no kind's namespace converts to the base's directly.
 */
const asBase = (namespace: Env[RoomKind]): DurableObjectNamespace<HavenRoom> =>
  namespace as unknown as DurableObjectNamespace<HavenRoom>;

/** Any room's stub, for what every kind answers (membership changes, deletion, commands). */
export function roomStub(env: Env, kind: RoomKind, roomId: string): DurableObjectStub<HavenRoom> {
  const namespace = asBase(env[kind]);
  return namespace.get(namespace.idFromName(roomId));
}

/** A room's stub typed as its kind's class, for what only that kind answers (a home's feed, a site's ingest). */
export function kindStub<K extends RoomKind>(env: Env, kind: K, roomId: string): ReturnType<Env[K]["get"]> {
  const namespace = asBase(env[kind]);
  // The binding named after the kind holds that kind's class (worker-configuration.d.ts says which).
  return namespace.get(namespace.idFromName(roomId)) as ReturnType<Env[K]["get"]>;
}
