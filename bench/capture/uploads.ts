/**
 * Uploads and the consumer under `wrangler dev`: recordings of 5 MiB sent 10 and 50 at once to a home's capture
 * route (`PUT /api/rooms/:id/captures/:captureId/original`), against the same bodies streamed straight to R2 by a
 * bare Worker (bench/diag/worker.js) in the same run; then 50 recordings filed, and the Worker's workerd sampled for
 * resident memory while the queue consumer analyses them all. An upload that is not stored (201) is counted with
 * its answer, not retried.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DevServer, startDevServer } from "../../scripts/dev-server";
import { groupRss, sumRssKb } from "../procfs";
import { benchSignup, isWorkerWorkerd, RelayDiagServer } from "../servers";
import { median, round, summarize } from "../stats";
import { furnaceWav } from "./sound";

/** 5 MiB of 16 kHz mono 16-bit WAV: 163.84 s of sound. */
const CLIP_SECONDS = (5 * 1024 * 1024) / 2 / 16_000;
const AT_ONCE = [10, 50];
const CONSUMED = 50;
const TRIALS = 3;
/** Each person uploads at most 60 capture files a home every 10 minutes (config.ts): six people share the work. */
const PEOPLE = 6;
const ANALYSIS_TIMEOUT_MS = 10 * 60_000;

function log(message: string): void {
  process.stderr.write(`[bench:capture] ${message}\n`);
}

type Person = Awaited<ReturnType<typeof benchSignup>>;

async function post(url: string, path: string, cookie: string, body: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: cookie, Origin: url },
    body: JSON.stringify(body),
  });
}

/** A home with PEOPLE members who may capture (the owner and invited members). */
async function home(url: string): Promise<{ roomId: string; people: Person[] }> {
  const people = await Promise.all(Array.from({ length: PEOPLE }, (_, i) => benchSignup(url, i)));
  const [owner, ...others] = people as [Person, ...Person[]];
  const made = await post(url, "/api/rooms", owner.cookie, { kind: "property", name: "Capture bench" });
  if (made.status !== 201) throw new Error(`room: ${made.status} ${await made.text()}`);
  const roomId = ((await made.json()) as { room: { id: string } }).room.id;
  for (const person of others) {
    const invited = await post(url, `/api/rooms/${roomId}/invites`, owner.cookie, {
      email: person.user.email,
      role: "member",
    });
    if (invited.status !== 201) throw new Error(`invite: ${invited.status} ${await invited.text()}`);
    const { token } = ((await invited.json()) as { invite: { token: string } }).invite;
    const accepted = await post(url, `/api/invites/${token}/accept`, person.cookie, {});
    if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${await accepted.text()}`);
  }
  return { roomId, people };
}

interface Burst {
  seconds: number;
  /** What was stored (201), per second of the whole burst. */
  mibPerSecond: number;
  /** Of the stored uploads. */
  latencyMs: number[];
  /** Answers other than 201, by status and their first words. */
  failed: string[];
}

/** Sends every request (each a body of `bodyBytes`) at once. */
async function burst(requests: (() => Promise<Response>)[], bodyBytes: number): Promise<Burst> {
  const start = performance.now();
  const latencyMs: number[] = [];
  const failed: string[] = [];
  await Promise.all(
    requests.map(async (send) => {
      const t0 = performance.now();
      try {
        const res = await send();
        const text = await res.text();
        if (res.status === 201) latencyMs.push(performance.now() - t0);
        else failed.push(`${res.status} ${text.slice(0, 60)}`);
      } catch (err) {
        failed.push(String(err));
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return { seconds, mibPerSecond: (latencyMs.length * bodyBytes) / 1024 / 1024 / seconds, latencyMs, failed };
}

/** Like `burst`, for uploads that must all be stored. */
async function stored(requests: (() => Promise<Response>)[], bodyBytes: number): Promise<void> {
  const { failed } = await burst(requests, bodyBytes);
  if (failed.length > 0) throw new Error(`upload: ${failed.join("; ")}`);
}

const put = (url: string, cookie: string | null, body: Uint8Array<ArrayBuffer>) => () =>
  fetch(url, {
    method: "PUT",
    headers: {
      "Content-Type": "application/octet-stream",
      ...(cookie ? { Cookie: cookie, Origin: new URL(url).origin } : {}),
    },
    body,
  });

interface Capture {
  id: string;
  person: Person;
}

function captures(people: readonly Person[], count: number): Capture[] {
  return Array.from({ length: count }, (_, i) => ({
    id: crypto.randomUUID(),
    person: people[i % people.length] as Person,
  }));
}

const partUrl = (url: string, roomId: string, id: string, part: string) =>
  `${url}/api/rooms/${roomId}/captures/${id}/${part}`;

export interface UploadSide {
  label: string;
  atOnce: number;
  sent: number;
  trialsMibPerSecond: number[];
  mibPerSecond: number;
  latency: { p50: number; p99: number; max: number };
  failed: Record<string, number>;
}

export interface ConsumerRun {
  items: number;
  clipSeconds: number;
  analysedInSeconds: number;
  rssBeforeMb: number;
  rssPeakAfterTenMb: number;
  rssPeakMb: number;
  rssAfterMb: number;
}

export interface UploadReport {
  bodyMib: number;
  sides: UploadSide[];
  consumer: ConsumerRun;
}

function side(label: string, atOnce: number, bursts: readonly Burst[]): UploadSide {
  const latency = summarize(bursts.flatMap((b) => b.latencyMs));
  const trials = bursts.map((b) => round(b.mibPerSecond));
  const failed: Record<string, number> = {};
  for (const why of bursts.flatMap((b) => b.failed)) failed[why] = (failed[why] ?? 0) + 1;
  return {
    label,
    atOnce,
    sent: atOnce * bursts.length,
    trialsMibPerSecond: trials,
    mibPerSecond: median(trials),
    latency: { p50: round(latency.p50), p99: round(latency.p99), max: round(latency.max) },
    failed,
  };
}

/** Resident memory of the workerd that runs the Worker (rooms, consumer and routes alike), in MB. */
function workerRssMb(server: DevServer): number {
  const processes = groupRss(server.child.pid ?? -1).filter((p) => p.comm === "workerd" && isWorkerWorkerd(p.pid));
  return sumRssKb(processes) / 1024;
}

/** Files every capture and samples memory until each one's spectrogram is there, i.e. its analysis is filed. */
async function consume(server: DevServer, roomId: string, filed: readonly Capture[]): Promise<ConsumerRun> {
  const url = server.url;
  const rssBeforeMb = workerRssMb(server);
  let peak = rssBeforeMb;
  let peakAfterTen = 0;
  const done = new Set<string>();
  const sampler = setInterval(() => {
    peak = Math.max(peak, workerRssMb(server));
    if (done.size <= 10) peakAfterTen = peak;
  }, 100);
  const start = performance.now();
  try {
    for (const c of filed) {
      const res = await post(url, `/api/rooms/${roomId}/commands`, c.person.cookie, {
        name: "inbox.create",
        args: { id: c.id },
        key: crypto.randomUUID(),
      });
      if (res.status !== 200) throw new Error(`inbox.create: ${res.status} ${await res.text()}`);
    }
    while (done.size < filed.length) {
      if (performance.now() - start > ANALYSIS_TIMEOUT_MS)
        throw new Error(`only ${done.size} of ${filed.length} captures were analysed in time`);
      for (const c of filed) {
        if (done.has(c.id)) continue;
        const res = await fetch(partUrl(url, roomId, c.id, "spectrogram"), { headers: { Cookie: c.person.cookie } });
        await res.arrayBuffer();
        if (res.status === 200) done.add(c.id);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    clearInterval(sampler);
  }
  return {
    items: filed.length,
    clipSeconds: round(CLIP_SECONDS),
    analysedInSeconds: round((performance.now() - start) / 1000),
    rssBeforeMb: round(rssBeforeMb),
    rssPeakAfterTenMb: round(peakAfterTen),
    rssPeakMb: round(peak),
    rssAfterMb: round(workerRssMb(server)),
  };
}

const HAVEN_SIDE =
  "Haven: PUT …/captures/:id/original (session, role, rate limit, sniffed, SHA-256, streamed to R2, staged)";

export async function uploadBench(): Promise<UploadReport> {
  const wav = furnaceWav(CLIP_SECONDS);
  const persistTo = mkdtempSync(join(tmpdir(), "haven-bench-capture-"));
  const server = await startDevServer({ persistTo, inheritOutput: process.env.BENCH_VERBOSE === "1" });
  const peerState = mkdtempSync(join(tmpdir(), "haven-bench-r2-"));
  const peer = new RelayDiagServer(peerState);
  try {
    await peer.start();
    const { roomId, people } = await home(server.url);
    const toHaven = (c: Capture, part: "original" | "wav") =>
      put(partUrl(server.url, roomId, c.id, part), c.person.cookie, wav);
    const toPeer = () => put(peer.uploadUrl(crypto.randomUUID()), null, wav);
    // A warm-up of each before the measured bursts, which take turns so both see the same machine.
    await stored(
      captures(people, 5).map((c) => toHaven(c, "original")),
      wav.byteLength,
    );
    await stored(Array.from({ length: 5 }, toPeer), wav.byteLength);
    const havenBursts = new Map<number, Burst[]>(AT_ONCE.map((n) => [n, []]));
    const peerBursts = new Map<number, Burst[]>(AT_ONCE.map((n) => [n, []]));
    for (let trial = 1; trial <= TRIALS; trial++)
      for (const n of AT_ONCE) {
        log(`trial ${trial}: ${n} uploads of 5 MiB at once to Haven, then to a bare Worker writing R2`);
        havenBursts.get(n)?.push(
          await burst(
            captures(people, n).map((c) => toHaven(c, "original")),
            wav.byteLength,
          ),
        );
        peerBursts.get(n)?.push(await burst(Array.from({ length: n }, toPeer), wav.byteLength));
      }
    log(`filing ${CONSUMED} recordings of ${round(CLIP_SECONDS)} s and waiting for their analysis`);
    const filed = captures(people, CONSUMED);
    for (let i = 0; i < filed.length; i += 5)
      for (const part of ["original", "wav"] as const)
        await stored(
          filed.slice(i, i + 5).map((c) => toHaven(c, part)),
          wav.byteLength,
        );
    const consumer = await consume(server, roomId, filed);
    return {
      bodyMib: round(wav.byteLength / 1024 / 1024),
      sides: AT_ONCE.flatMap((n) => [
        side(HAVEN_SIDE, n, havenBursts.get(n) ?? []),
        side("bare Worker: PUT /upload/:key, the body streamed to R2, nothing checked", n, peerBursts.get(n) ?? []),
      ]),
      consumer,
    };
  } finally {
    await peer.stop();
    await server.stop();
    rmSync(persistTo, { recursive: true, force: true });
    rmSync(peerState, { recursive: true, force: true });
  }
}
