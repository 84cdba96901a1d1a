/**
 * `npm run bench:capture`: the cost of analysing a recording, per second of audio, in V8 (Node here; workerd runs
 * the same engine and the same module, so the queue consumer's CPU time is the same order).
 *
 * For clips of 10 s, 60 s and 10 min of a 16 kHz mono WAV (a 120 Hz hum with a knock twice a second and some noise,
 * like a furnace): reading the WAV, the analysis and the spectrogram, each the median of 5 runs after a warm-up, and
 * the memory (V8's heap and array buffers) the whole job grows by. Writes bench/results/<date>-capture.md and
 * .json (`--scratch`: bench/scratch/).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { analyseAudio } from "../../worker/capture/audio-analysis";
import { spectrogram } from "../../worker/capture/spectrogram";
import { readWav } from "../../worker/capture/wav";
import { median } from "../stats";

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

const RATE = 16_000;
const SECONDS = [10, 60, 600];
const RUNS = 5;
/** The CPU limit the consumer will run under (wrangler.toml `limits.cpu_ms`, DOMAIN.md): 5 minutes. */
const CPU_LIMIT_MS = 300_000;

/** A furnace-like clip: a hum, a knock twice a second, a little noise; as a 16-bit WAV. */
function furnaceWav(seconds: number): Uint8Array {
  const frames = seconds * RATE;
  const bytes = new Uint8Array(44 + frames * 2);
  const view = new DataView(bytes.buffer);
  const text = (at: number, s: string) => {
    for (const [i, ch] of [...s].entries()) view.setUint8(at + i, ch.charCodeAt(0));
  };
  text(0, "RIFF");
  view.setUint32(4, 36 + frames * 2, true);
  text(8, "WAVEfmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, RATE, true);
  view.setUint32(28, RATE * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, "data");
  view.setUint32(40, frames * 2, true);
  let seed = 1;
  const noise = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31 - 0.5;
  };
  for (let i = 0; i < frames; i++) {
    const knock = i % (RATE / 2) < 64 ? 0.6 * Math.sin((2 * Math.PI * 2500 * i) / RATE) : 0;
    const sample = 0.25 * Math.sin((2 * Math.PI * 120 * i) / RATE) + knock + 0.02 * noise();
    view.setInt16(44 + i * 2, Math.round(Math.max(-1, Math.min(1, sample)) * 32_767), true);
  }
  return bytes;
}

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

const rows: Row[] = [];
for (const seconds of SECONDS) rows.push(await measure(seconds));
const date = new Date().toISOString().slice(0, 10);
const dir = fileURLToPath(new URL(process.argv.includes("--scratch") ? "../scratch/" : "../results/", import.meta.url));
mkdirSync(dir, { recursive: true });
const host = `${cpus().length} cores, load ${loadavg()[0]?.toFixed(2)}`;
const table = [
  "| clip | WAV | read | analysis | spectrogram | total | per second of audio | memory growth | of a 5 min CPU limit |",
  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...rows.map(
    (r) =>
      `| ${r.seconds} s | ${round(r.wavBytes / 1024 / 1024, 1)} MB | ${r.readMs} ms | ${r.analyseMs} ms | ` +
      `${r.spectrogramMs} ms | ${r.totalMs} ms | ${r.msPerAudioSecond} ms | ${r.heapGrowthMb} MB | ` +
      `${r.shareOfCpuLimit} |`,
  ),
];
const markdown = [
  `# Capture analysis, ${date} (${host})`,
  "",
  "`npm run bench:capture`: a furnace-like 16 kHz mono recording (a 120 Hz hum, a knock twice a second, noise),",
  `read, analysed and drawn as a spectrogram in Node's V8; the median of ${RUNS} runs after a warm-up. Memory is`,
  "V8's heap plus array buffers, before the job against after it (the samples are a Float32Array: 4 bytes a sample).",
  "",
  ...table,
  "",
  `Every clip was summarised as: "${rows[0]?.summary ?? ""}"`,
  "",
].join("\n");
writeFileSync(`${dir}${date}-capture.md`, markdown);
writeFileSync(`${dir}${date}-capture.json`, `${JSON.stringify({ date, host, rows }, null, 2)}\n`);
console.log(markdown);
