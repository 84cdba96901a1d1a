/** Renders a run as a Markdown report: the comparison table, the targets, and what each number means. */
import type { BenchResults, MemoryReading, ServerResults } from "./results";
import { round } from "./stats";

type Better = "lower" | "higher";

interface Row {
  measure: string;
  unit: string;
  better: Better;
  value: (s: ServerResults) => number | null;
}

const OURS = "haven";

function fmt(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return "n/a";
  return String(round(x));
}

function mb(kb: number): number {
  return kb / 1024;
}

function memDelta(base: MemoryReading | null, loaded: MemoryReading | null, worker = false): number | null {
  if (!base || !loaded) return null;
  return worker ? mb(loaded.workerKb - base.workerKb) : mb(loaded.serverKb - base.serverKb);
}

function rows(results: BenchResults): Row[] {
  const out: Row[] = [];
  const readers = [...new Set(results.servers.flatMap((s) => s.fanout.map((f) => f.readers)))].sort((a, b) => a - b);
  for (const deflate of [false, true]) {
    const d = deflate ? "deflate on" : "deflate off";
    for (const n of readers) {
      for (const stat of ["p50", "p99", "max"] as const) {
        out.push({
          measure: `(a) fan-out N=${n} ${stat}, ${d}`,
          unit: "ms",
          better: "lower",
          value: (s) => s.fanout.find((f) => f.readers === n && f.deflate === deflate)?.latencyMs?.[stat] ?? null,
        });
      }
    }
  }
  for (const deflate of [false, true]) {
    out.push({
      measure: `(b) sustained edits/s, 1→10, ${deflate ? "deflate on" : "deflate off"}`,
      unit: "edits/s",
      better: "higher",
      value: (s) => s.throughput.find((t) => t.deflate === deflate)?.editsPerSec ?? null,
    });
  }
  for (const deflate of [false, true]) {
    const d = deflate ? "deflate on" : "deflate off";
    out.push({
      measure: `(c) 1 MB doc, time to synced, warm, ${d}`,
      unit: "ms",
      better: "lower",
      value: (s) => s.sync.find((x) => x.deflate === deflate)?.warmMedianMs ?? null,
    });
    out.push({
      measure: `(c) 1 MB doc, time to synced, cold (process restarted), ${d}`,
      unit: "ms",
      better: "lower",
      value: (s) => s.sync.find((x) => x.deflate === deflate)?.coldMedianMs ?? null,
    });
    out.push({
      measure: `(c) 1 MB doc, time to synced, room cold in a warm process, ${d}`,
      unit: "ms",
      better: "lower",
      value: (s) => s.sync.find((x) => x.deflate === deflate)?.roomColdMedianMs ?? null,
    });
  }
  for (const deflate of [false, true]) {
    const d = deflate ? "deflate on" : "deflate off";
    const row = (s: ServerResults) => s.memory.find((m) => m.deflate === deflate);
    out.push({
      measure: `(d) RSS added by 200 idle clients, ${d}`,
      unit: "MB",
      better: "lower",
      value: (s) => memDelta(row(s)?.baseline ?? null, row(s)?.loaded ?? null),
    });
    out.push({
      measure: `(d) RSS total with 200 idle clients, ${d}`,
      unit: "MB",
      better: "lower",
      value: (s) => (row(s)?.loaded ? mb(row(s)?.loaded?.serverKb ?? 0) : null),
    });
    out.push({
      measure: `(d) RSS added by 200 idle clients, Haven without the dev proxy's workerd, ${d}`,
      unit: "MB",
      better: "lower",
      value: (s) => memDelta(row(s)?.baseline ?? null, row(s)?.loaded ?? null, true),
    });
  }
  return out;
}

function bestPeer(row: Row, peers: ServerResults[]): { value: number; label: string } | null {
  let best: { value: number; label: string } | null = null;
  for (const p of peers) {
    const v = row.value(p);
    if (v === null || !Number.isFinite(v)) continue;
    if (!best || (row.better === "lower" ? v < best.value : v > best.value)) best = { value: v, label: p.label };
  }
  return best;
}

function comparisonTable(results: BenchResults): string[] {
  const ours = results.servers.find((s) => s.id === OURS);
  const peers = results.servers.filter((s) => s.id !== OURS);
  const header = ["Measure", "unit", ...results.servers.map((s) => s.label), "best peer", "Haven / best peer"];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const row of rows(results)) {
    const best = bestPeer(row, peers);
    const mine = ours ? row.value(ours) : null;
    const ratio = mine !== null && best && best.value !== 0 ? `${round(mine / best.value)}x` : "n/a";
    const cells = [
      `${row.measure} (${row.better} is better)`,
      row.unit,
      ...results.servers.map((s) => fmt(row.value(s))),
      best ? `${fmt(best.value)} (${best.label})` : "n/a",
      ratio,
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines;
}

function targets(results: BenchResults): string[] {
  const ours = results.servers.find((s) => s.id === OURS);
  const reference = results.servers.find((s) => s.id === "y-websocket-server");
  const referenceMemory = results.diagnosis.find((s) => s.id === "y-websocket-server");
  const peers = results.servers.filter((s) => s.id !== OURS);
  const lines = ["| Target | deflate | Haven | bar | result |", "|---|---|---|---|---|"];
  const verdict = (ok: boolean | null) => (ok === null ? "not measured" : ok ? "met" : "**missed**");
  for (const deflate of [false, true]) {
    const d = deflate ? "on" : "off";
    const mine = ours?.throughput.find((t) => t.deflate === deflate)?.editsPerSec ?? null;
    for (const ref of [reference, referenceMemory]) {
      const bar = ref?.throughput.find((t) => t.deflate === deflate)?.editsPerSec ?? null;
      lines.push(
        `| (b) edits/s ≥ ${ref?.label ?? "reference"}, every update durable | ${d} | ${fmt(mine)} | ${fmt(bar)} | ` +
          `${verdict(mine !== null && bar !== null ? mine >= bar : null)} |`,
      );
    }
    const p99 = (s: ServerResults) =>
      s.fanout.find((f) => f.readers === 200 && f.deflate === deflate)?.latencyMs?.p99 ?? null;
    const best = bestPeer({ measure: "", unit: "ms", better: "lower", value: p99 }, peers);
    const mineP99 = ours ? p99(ours) : null;
    lines.push(
      `| (a) p99 at N=200 ≤ 1.5 × best peer | ${d} | ${fmt(mineP99)} ms | ` +
        `${best ? `${fmt(best.value * 1.5)} ms (1.5 × ${best.label})` : "n/a"} | ` +
        `${verdict(mineP99 !== null && best ? mineP99 <= best.value * 1.5 : null)} |`,
    );
    const cold = ours?.sync.find((x) => x.deflate === deflate)?.coldMedianMs ?? null;
    lines.push(
      `| (c) cold time to synced ≤ 100 ms | ${d} | ${fmt(cold)} ms | 100 ms | ` +
        `${verdict(cold !== null ? cold <= 100 : null)} |`,
    );
  }
  return lines;
}

function diagnosis(results: BenchResults): string[] {
  if (results.diagnosis.length === 0) return [];
  const lines = [
    "## Diagnosis runs",
    "",
    "Not part of the comparison: the same workloads against variants that isolate one cost.",
    "",
    "| Variant | fan-out N=200 p50 / p99 / max (ms), deflate off | same, deflate on | edits/s, deflate off | " +
      "edits/s, deflate on |",
    "|---|---|---|---|---|",
  ];
  const all = [...results.servers.filter((s) => s.id === OURS || s.id === "y-websocket-server"), ...results.diagnosis];
  for (const s of all) {
    const f = (deflate: boolean) => {
      const l = s.fanout.find((x) => x.readers === 200 && x.deflate === deflate)?.latencyMs;
      return l ? `${fmt(l.p50)} / ${fmt(l.p99)} / ${fmt(l.max)}` : "n/a";
    };
    const t = (deflate: boolean) => fmt(s.throughput.find((x) => x.deflate === deflate)?.editsPerSec ?? null);
    lines.push(`| ${s.label} | ${f(false)} | ${f(true)} | ${t(false)} | ${t(true)} |`);
  }
  return [...lines, ""];
}

function serverNotes(results: BenchResults): string[] {
  const lines = ["## Servers as run", ""];
  for (const s of [...results.servers, ...results.diagnosis]) {
    const negotiated = [
      ...new Set([...s.fanout, ...s.throughput, ...s.sync].filter((x) => x.deflate).map((x) => x.extensions || "none")),
    ];
    lines.push(
      `- **${s.label}**: storage: ${s.persistence}. When the client offers permessage-deflate, negotiated: ` +
        `${negotiated.join(", ") || "n/a"}.`,
    );
    for (const n of s.notes) lines.push(`  - ${n}`);
    const errors = [...s.fanout, ...s.throughput, ...s.sync, ...s.memory].flatMap((x) =>
      x.error ? [x.error.split("\n")[0] ?? ""] : [],
    );
    for (const e of errors) lines.push(`  - error: ${e}`);
  }
  const haven = results.servers.find((s) => s.id === OURS);
  for (const m of haven?.memory ?? []) {
    if (!m.loaded) continue;
    const procs = (r: MemoryReading) =>
      r.processes.map((p) => `${p.comm}${p.role ? ` (${p.role})` : ""} ${fmt(mb(p.rssKb))} MB`).join(", ");
    lines.push(
      `- Haven process group, deflate ${m.deflate ? "on" : "off"}: idle ${m.baseline ? procs(m.baseline) : "n/a"}; ` +
        `with 200 idle clients ${procs(m.loaded)}. The (d) rows count workerd only (node and esbuild are wrangler's).`,
    );
  }
  return [...lines, ""];
}

export function renderMarkdown(results: BenchResults): string {
  const env = results.environment;
  const c = results.config;
  const docs = results.servers.map((s) =>
    s.doc
      ? `${s.label}: ${fmt(s.doc.bytes / 1024)} KiB, ${s.doc.items} items in ${s.doc.updates} ` +
        `updates${s.doc.verified ? "" : " (NOT verified)"}`
      : `${s.label}: n/a`,
  );
  const serverCommit =
    env.commitEnd === env.commit
      ? `commit ${env.commit}`
      : `**HEAD moved from ${env.commit} to ${env.commitEnd} during the run**`;
  const worktree =
    env.dirtyAtStart.length > 0
      ? `, plus uncommitted changes outside bench/ at the start: ${env.dirtyAtStart.join("; ")}`
      : ", clean working tree outside bench/";
  const reloads =
    results.reloads.length > 0
      ? `Server restarts during a measurement (repeated): ${results.reloads.join("; ")}.`
      : "No server restarted during a measurement.";
  return [
    `# Haven benchmark, ${results.date} on ${results.host}`,
    "",
    `Node ${env.node}, ${env.cpus} × ${env.cpuModel}, ${Math.round(env.memTotalMb)} MB RAM. Run took ` +
      `${fmt(results.durationMs / 1000)} s${results.quick ? " (QUICK or partial run: not a recorded result)" : ""}.`,
    `Server code: ${serverCommit}${worktree}. ${reloads}`,
    `Load average at start ${env.loadAvgStart.map((x) => round(x)).join(" / ")}, at end ` +
      `${env.loadAvgEnd.map((x) => round(x)).join(" / ")}; ${env.foreignWorkerdAtStart} workerd process(es) not ` +
      `started by this run were alive at the start (shared machine: treat small differences as noise).`,
    "",
    `Workloads: (a) ${c.fanoutEdits} measured edits (after ${c.fanoutWarmup} warm-up) from one writer to N readers ` +
      `in one room, each edit sent once the previous one reached every reader plus ${c.fanoutGapMs} ms; (b) ` +
      `${c.throughputEdits} edits, one writer, ${c.throughputReaders} readers, at most ${c.throughputWindow} edits ` +
      `in flight, median of ${c.throughputRepeats} runs; (c) a document of ≥ ${fmt(Number(c.docBytes) / 1024)} KiB ` +
      `(${docs.join("; ")}), warm = median of ${c.warmClients} new clients while another client keeps it loaded, ` +
      `cold = first client after a restart of the server process (median of ${c.coldRestarts} restarts), room cold ` +
      `in a warm process = right after it, a client of a second such document not loaded since the restart; (d) ` +
      `${c.idleClients} idle clients in one room on a freshly started server, RSS read ${c.settleMs} ms after the ` +
      `last one synced.`,
    "",
    "## Results",
    "",
    ...comparisonTable(results),
    "",
    "## Targets",
    "",
    ...targets(results),
    "",
    ...diagnosis(results),
    ...serverNotes(results),
  ].join("\n");
}
