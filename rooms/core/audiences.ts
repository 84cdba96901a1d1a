/**
 * Which document each socket is served, and the projections behind them. A member whose audience is null is
 * served the room's own document, as every member of a kind without audiences is; a member of an audience is
 * served only that audience's projection (projection.ts). Every relay names the audience it is for, so a frame of
 * one document never reaches a socket of another.
 */
import type { Connection } from "partyserver";
import type { Touched } from "./commands";
import type { VerifiedMember } from "./identity";
import type { MirrorFollower } from "./mirror";
import { ProjectionDoc } from "./projection";
import { broadcast, stateOf } from "./sockets";

/** What the audiences need of the room (read when used: a kind's fields are set after the base constructor). */
export interface AudiencesHost {
  roomId(): string;
  storage(): DurableObjectStorage;
  /** The projections this kind keeps. */
  audiences(): readonly string[];
  audienceOf(member: VerifiedMember): string | null;
  serverRoots(): readonly string[];
  /** `record` (of `root`, as the room's mirror holds it) as `audience` may see it; undefined: nothing of it. */
  projectedOf(audience: string, root: string, id: string, record: unknown): unknown;
  projectedAll(audience: string, root: string): Map<string, unknown>;
  /** Every open socket. */
  sockets(): Iterable<Connection>;
}

export class Audiences implements MirrorFollower {
  readonly #docs = new Map<string, ProjectionDoc>();

  constructor(private readonly host: AudiencesHost) {}

  /**
   * The audience a socket is served: as stored when it opened (or when its role last changed); for a socket
   * whose attachment predates audiences, what its member's role gives now. Undefined for a socket never admitted.
   */
  of(connection: Connection): string | null | undefined {
    const state = stateOf(connection);
    if (!state) return undefined;
    return state.audience !== undefined ? state.audience : this.host.audienceOf(state.member);
  }

  /** The open sockets served `audience` (null: the room's own document). */
  *socketsOf(audience: string | null): Generator<Connection> {
    for (const socket of this.host.sockets()) if (this.of(socket) === audience) yield socket;
  }

  /** Sends a frame of `audience`'s document to that audience's sockets only. */
  relay(audience: string | null, frame: Uint8Array): void {
    broadcast(this.socketsOf(audience), frame);
  }

  /** Whether `audience` names a projection this kind keeps. */
  has(audience: string): boolean {
    return this.host.audiences().includes(audience);
  }

  /**
   * The projection of `audience`, loaded and brought level with the records on first use; null for an audience
   * this kind does not keep (its sockets are then served nothing).
   */
  projection(audience: string): ProjectionDoc | null {
    const loaded = this.#docs.get(audience);
    if (loaded) return loaded;
    if (!this.has(audience)) return null;
    const { host } = this;
    const doc = new ProjectionDoc(audience, {
      roomId: () => host.roomId(),
      storage: () => host.storage(),
      roots: () => host.serverRoots(),
      valueOf: (root, id, record) => host.projectedOf(audience, root, id, record),
      all: (root) => host.projectedAll(audience, root),
      relay: (frame) => this.relay(audience, frame),
    });
    doc.sync();
    this.#docs.set(audience, doc);
    return doc;
  }

  /** Writes the records a commit touched into every projection, given each as the room's mirror wrote it. */
  write(records: Touched["records"], recordOf: (root: string, id: string) => unknown): void {
    for (const audience of this.host.audiences()) {
      const loaded = this.#docs.get(audience);
      // One loaded now is synced whole on loading, which already includes these records.
      if (loaded) loaded.write(records, recordOf);
      else this.projection(audience);
    }
  }

  /** Brings every projection level with the records (loading those not loaded yet). */
  sync(): void {
    for (const audience of this.host.audiences()) {
      const loaded = this.#docs.get(audience);
      if (loaded) loaded.sync();
      else this.projection(audience);
    }
  }

  /** Forgets the loaded projections (the room is being erased). */
  clear(): void {
    this.#docs.clear();
  }
}
