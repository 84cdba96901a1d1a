/**
 * `npm run bench:capture`:
 *
 * 1. The cost of analysing a recording, per second of audio, in V8 (Node here; workerd runs the same engine and the
 *    same module, so the queue consumer's CPU time is the same order). For clips of 10 s, 60 s and 10 min of a
 *    16 kHz mono WAV (a 120 Hz hum with a knock twice a second and some noise, like a furnace): reading the WAV, the
 *    analysis and the spectrogram, each the median of 5 runs after a warm-up, and the memory (V8's heap and array
 *    buffers) the whole job grows by.
 * 2. The cost of measuring a photo, per megapixel (photos.ts).
 * 3. Under `wrangler dev`: 50 uploads of 5 MiB at once against a bare Worker writing R2, and the consumer's memory
 *    while it analyses 50 of them (uploads.ts). `--analysis-only` leaves this out.
 *
 * Writes bench/results/<date>-capture.md and .json (`--scratch`: bench/scratch/).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { analyseAudio } from "../../worker/capture/audio-analysis";
import { spectrogram } from "../../worker/capture/spectrogram";
import { readWav } from "../../worker/capture/wav";
import { median } from "../stats";
import { photoRows, photoTable } from "./photos";
import { furnaceWav } from "./sound";
import { type UploadReport, uploadBench } from "./uploads";

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

const SECONDS = [10, 60, 600];
const RUNS = 5;
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The CPU time the consumer may take per invocation, as wrangler.toml sets it (`[limits] cpu_ms`). */
const CPU_LIMIT_MS = Number(readFileSync(`${ROOT}wrangler.toml`, "utf8").match(/^cpu_ms\s*=\s*(\d+)/m)?.[1]);
if (!Number.isFinite(CPU_LIMIT_MS)) throw new Error("wrangler.toml sets no [limits] cpu_ms");

interface Row {
  seconds: number;
  wavBytes: number;
  readMs: number;
  analyseMs: number;
  spectrogramMs: number;
  totalMs: number;
  msPerAudioSecond: number;
  heapGrowthMb: number;
  shareOfCpuLimit: string;
  summary: string;
}

async function measure(seconds: number): Promise<Row> {
  const wav = furnaceWav(seconds);
  const times = { read: [] as number[], analyse: [] as number[], spectrogram: [] as number[] };
  let summary = "";
  let heapGrowth = 0;
  for (let run = 0; run <= RUNS; run++) {
    const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const heapBefore = used();
    const t0 = performance.now();
    const pcm = readWav(wav, 600);
    const t1 = performance.now();
    const analysis = analyseAudio(pcm.samples, pcm.sampleRate);
    const t2 = performance.now();
    await spectrogram(pcm.samples, pcm.sampleRate);
    const t3 = performance.now();
    heapGrowth = Math.max(heapGrowth, used() - heapBefore);
    summary = analysis.summary;
    // The first run warms the JIT up and is not counted.
    if (run === 0) continue;
    times.read.push(t1 - t0);
    times.analyse.push(t2 - t1);
    times.spectrogram.push(t3 - t2);
  }
  const total = median(times.read) + median(times.analyse) + median(times.spectrogram);
  return {
    seconds,
    wavBytes: wav.byteLength,
    readMs: round(median(times.read), 1),
    analyseMs: round(median(times.analyse), 1),
    spectrogramMs: round(median(times.spectrogram), 1),
    totalMs: round(total, 1),
    msPerAudioSecond: round(total / seconds, 2),
    heapGrowthMb: round(heapGrowth / 1024 / 1024, 1),
    shareOfCpuLimit: `${round((100 * total) / CPU_LIMIT_MS, 3)} %`,
    summary,
  };
}

const TRIALS_WORDS = "three times";

function uploadLines(report: UploadReport): string[] {
  const { consumer } = report;
  const failures = (u: UploadReport["sides"][number]) =>
    Object.entries(u.failed)
      .map(([why, n]) => `${n} × ${why}`)
      .join("; ") || "none";
  return [
    `## Uploads of ${report.bodyMib} MiB, many at once, under \`wrangler dev\``,
    "",
    "Both Workers run in the same run on the same machine, each under its own `wrangler dev` with local R2. The",
    `client sends the bodies all at once, ${TRIALS_WORDS}: throughput is what was stored per second of the burst`,
    "(median of the trials), latency is over every stored upload. Uploads not stored are listed with their answer.",
    "",
    "| upload | at once | throughput (trials) | p50 | p99 | max | not stored |",
    "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ...report.sides.map(
      (u) =>
        `| ${u.label} | ${u.atOnce} | ${u.mibPerSecond} MiB/s (${u.trialsMibPerSecond.join(", ")}) | ` +
        `${u.latency.p50} ms | ${u.latency.p99} ms | ${u.latency.max} ms | ${failures(u)} |`,
    ),
    "",
    `## The consumer analysing ${consumer.items} recordings of ${consumer.clipSeconds} s`,
    "",
    "Resident memory of the workerd running the Worker (every room, route and the queue consumer share it), sampled",
    "every 100 ms from filing the first item until every item's spectrogram is stored.",
    "",
    "| analysed in | before | peak while the first 10 were analysed | peak over all | after |",
    "| ---: | ---: | ---: | ---: | ---: |",
    `| ${consumer.analysedInSeconds} s | ${consumer.rssBeforeMb} MB | ${consumer.rssPeakAfterTenMb} MB | ` +
      `${consumer.rssPeakMb} MB | ${consumer.rssAfterMb} MB |`,
    "",
  ];
}

const rows: Row[] = [];
for (const seconds of SECONDS) rows.push(await measure(seconds));
const photos = await photoRows();
let uploads: UploadReport | null = null;
if (!process.argv.includes("--analysis-only")) {
  if (readdirSync(`${ROOT}dist/client`).length === 0)
    spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  uploads = await uploadBench();
}
const date = new Date().toISOString().slice(0, 10);
const dir = fileURLToPath(new URL(process.argv.includes("--scratch") ? "../scratch/" : "../results/", import.meta.url));
mkdirSync(dir, { recursive: true });
const host = `${cpus().length} cores, load ${loadavg()[0]?.toFixed(2)}`;
const table = [
  "| clip | WAV | read | analysis | spectrogram | total | per second of audio | memory growth | of the CPU limit |",
  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...rows.map(
    (r) =>
      `| ${r.seconds} s | ${round(r.wavBytes / 1024 / 1024, 1)} MB | ${r.readMs} ms | ${r.analyseMs} ms | ` +
      `${r.spectrogramMs} ms | ${r.totalMs} ms | ${r.msPerAudioSecond} ms | ${r.heapGrowthMb} MB | ` +
      `${r.shareOfCpuLimit} |`,
  ),
];
const commit = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim();
const markdown = [
  `# Capture benchmark, ${date} (${host}, commit ${commit})`,
  "",
  "## Analysing a recording",
  "",
  "`npm run bench:capture`: a furnace-like 16 kHz mono recording (a 120 Hz hum, a knock twice a second, noise),",
  `read, analysed and drawn as a spectrogram in Node's V8; the median of ${RUNS} runs after a warm-up. Memory is`,
  "V8's heap plus array buffers, before the job against after it (the samples are a Float32Array: 4 bytes a sample).",
  `The CPU limit is wrangler.toml's \`cpu_ms\`, ${CPU_LIMIT_MS / 1000} s.`,
  "",
  ...table,
  "",
  `Every clip was summarised as: "${rows[0]?.summary ?? ""}"`,
  "",
  "## Measuring a photo",
  "",
  "A JPEG (quality 85, a gradient under fine grain) decoded and measured as the consumer does: blur (variance of the",
  "Laplacian on a copy at most 1024 px), dominant colours and the 320 px thumbnail PNG. Median of 3 runs after a",
  "warm-up.",
  "",
  ...photoTable(photos),
  "",
  ...(uploads ? uploadLines(uploads) : []),
].join("\n");
writeFileSync(`${dir}${date}-capture.md`, markdown);
writeFileSync(
  `${dir}${date}-capture.json`,
  `${JSON.stringify({ date, host, commit, rows, photos, uploads }, null, 2)}\n`,
);
console.log(markdown);
