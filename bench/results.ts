/** The shape of one benchmark run, as written to bench/results/<date>-<host>.json. */
import type { ThroughputResult } from "./jobs";
import type { LatencySummary } from "./stats";

export interface MemoryReading {
  serverKb: number;
  workerKb: number;
  treeKb: number;
  processes: Array<{ comm: string; role?: string; rssKb: number }>;
}

export interface FanoutRow {
  readers: number;
  deflate: boolean;
  latencyMs: LatencySummary | null;
  missing: number;
  connectMs: number;
  extensions: string;
  error?: string;
}

export interface ThroughputRow {
  deflate: boolean;
  /** Median over the runs that finished. */
  editsPerSec: number | null;
  runs: ThroughputResult[];
  extensions: string;
  error?: string;
}

export interface SyncRow {
  deflate: boolean;
  /** Warm: new clients one after another while one other client keeps the document loaded. */
  warmMs: number[];
  warmMedianMs: number | null;
  /** Cold: the first client after each restart of the server process. */
  coldMs: number[];
  coldMedianMs: number | null;
  /**
   * Room cold, process warm: right after the cold one, a client of a second 1 MB document not loaded since the restart.
   */
  roomColdMs: number[];
  roomColdMedianMs: number | null;
  extensions: string;
  error?: string;
}

export interface MemoryRow {
  deflate: boolean;
  clients: number;
  connectMs: number;
  baseline: MemoryReading | null;
  loaded: MemoryReading | null;
  error?: string;
}

export interface ServerResults {
  id: string;
  label: string;
  persistence: string;
  /** Why a measurement is missing or means something else for this server. */
  notes: string[];
  fanout: FanoutRow[];
  throughput: ThroughputRow[];
  sync: SyncRow[];
  doc: { bytes: number; items: number; updates: number; verified: boolean } | null;
  memory: MemoryRow[];
}

export interface BenchResults {
  date: string;
  host: string;
  startedAt: string;
  durationMs: number;
  quick: boolean;
  environment: {
    node: string;
    cpus: number;
    cpuModel: string;
    memTotalMb: number;
    commit: string;
    /** HEAD when the run ended: differs from `commit` if someone committed during the run. */
    commitEnd: string;
    /** Files outside bench/ that differed from HEAD at the start: the run measured the working tree. */
    dirtyAtStart: string[];
    loadAvgStart: number[];
    loadAvgEnd: number[];
    /** workerd processes on the machine that this run did not start (other people's dev servers). */
    foreignWorkerdAtStart: number;
  };
  config: Record<string, number | number[]>;
  /** Measurements during which a server restarted (wrangler dev reloads on source edits); each was repeated once. */
  reloads: string[];
  servers: ServerResults[];
  /** Runs that explain rather than compare: Haven without wrangler's dev proxy, the reference without persistence. */
  diagnosis: ServerResults[];
}
