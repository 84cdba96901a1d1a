/** The only place that turns a room id into a typed Durable Object stub. */
import type { RoomKind } from "../schema/core/roles";
import type { HavenRoom } from "./core/HavenRoom";

/** Any room's stub, for what every kind answers (membership changes, deletion, commands). */
export function roomStub(env: Env, kind: RoomKind, roomId: string): DurableObjectStub<HavenRoom> {
  const namespace = baseNamespace(env, kind);
  return namespace.get(namespace.idFromName(roomId));
}

/** A room's stub typed as its kind's class, for what only that kind answers (a home's feed, a site's ingest). */
export function kindStub<K extends RoomKind>(env: Env, kind: K, roomId: string): ReturnType<Env[K]["get"]> {
  const namespace = baseNamespace(env, kind);
  // The binding named after the kind holds that kind's class (worker-configuration.d.ts says which).
  return namespace.get(namespace.idFromName(roomId)) as ReturnType<Env[K]["get"]>;
}

/**
 * A kind's binding seen as the base class every kind extends. Each kind's namespace is typed by its own class, whose
 * stub type TypeScript does not relate to the base's (the RPC stub types map each class's methods), hence the cast.
 */
function baseNamespace(env: Env, kind: RoomKind): DurableObjectNamespace<HavenRoom> {
  return env[kind] as unknown as DurableObjectNamespace<HavenRoom>;
}
