/**
 * What the orchestrator (bench/run.ts) asks a client process (bench/client.ts) to do, and
 * what the client process answers. Jobs travel as JSON in argv; answers as JSON lines on
 * stdout, one per line, each with a `type`.
 */
import type { LatencySummary } from "./stats";

/** How a server frames y-protocols messages: plain (y-websocket) or prefixed with the document name (Hocuspocus). */
export type Dialect = "y-websocket" | "hocuspocus";

/** One document on one server, and how to reach it. */
export interface Target {
  dialect: Dialect;
  /** Full WebSocket URL of the document (for Hocuspocus: of the server). */
  url: string;
  /** The document name; Hocuspocus puts it in every frame. */
  docName: string;
  /**
   * Extra upgrade headers, one set per identity (Haven: one session cookie per member).
   * Clients take them in turn, so a room of 200 readers is 200 sockets of many people, as
   * it would be, not of one account (Haven caps sockets per person per room).
   */
  headers: Record<string, string>[];
}

interface JobBase {
  target: Target;
  /** Offer permessage-deflate in the handshake (`ws` option `perMessageDeflate`). */
  deflate: boolean;
  /** The client process gives up after this long. */
  timeoutMs: number;
}

export interface FanoutJob extends JobBase {
  kind: "fanout";
  readers: number;
  /** Measured edits, after `warmup` unmeasured ones. */
  edits: number;
  warmup: number;
  /** Pause between one edit reaching every reader and the next edit. */
  gapMs: number;
}

export interface ThroughputJob extends JobBase {
  kind: "throughput";
  readers: number;
  edits: number;
  /** Most edits the writer may have sent that the slowest reader has not yet received. */
  window: number;
}

export interface SeedJob extends JobBase {
  kind: "seed";
  /** Keep adding items until the encoded document is at least this large. */
  targetBytes: number;
  /** Rough size of one update (one transaction of several items). */
  updateBytes: number;
}

export interface SyncJob extends JobBase {
  kind: "sync";
  /** New clients connected one after another, each timed from socket creation to holding the whole document. */
  clients: Target[];
  /** Item count that means "the whole document". */
  expectItems: number;
  /**
   * Keep one untimed client connected to `target` first, so the document stays loaded on
   * servers that unload idle documents.
   */
  holder: boolean;
}

export interface IdleJob extends JobBase {
  kind: "idle";
  clients: number;
}

export type Job = FanoutJob | ThroughputJob | SeedJob | SyncJob | IdleJob;

export interface FanoutResult {
  type: "result";
  kind: "fanout";
  latencyMs: LatencySummary;
  /** Reader deliveries that never arrived within the per-edit timeout. */
  missing: number;
  connectMs: number;
  extensions: string;
}

export interface ThroughputResult {
  type: "result";
  kind: "throughput";
  edits: number;
  elapsedMs: number;
  editsPerSec: number;
  /** The time limit hit first; `edits` is then what the slowest reader had. */
  timedOut: boolean;
  /** A fresh client synced afterwards and saw the last edit. */
  verified: boolean;
  extensions: string;
}

export interface SeedResult {
  type: "result";
  kind: "seed";
  bytes: number;
  items: number;
  updates: number;
  /** A fresh client synced afterwards and held every item. */
  verified: boolean;
}

export interface SyncResult {
  type: "result";
  kind: "sync";
  timesMs: number[];
  bytes: number;
  extensions: string;
}

export interface IdleReady {
  type: "ready";
  connected: number;
  connectMs: number;
}

export interface IdleResult {
  type: "result";
  kind: "idle";
  connected: number;
}

export interface ErrorResult {
  type: "error";
  message: string;
}

export type JobResult = FanoutResult | ThroughputResult | SeedResult | SyncResult | IdleResult;
export type ClientLine = JobResult | IdleReady | ErrorResult;
