/** Linux /proc readings: resident memory of a process group, and the TCP ports a process listens on. */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export interface ProcessRss {
  pid: number;
  /** The executable's short name from /proc/<pid>/stat, e.g. "workerd" or "node". */
  comm: string;
  rssKb: number;
  /** What the process does, where it matters (Haven's two workerd processes). */
  role?: string;
}

function readOr(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null; // The process exited between listing and reading.
  }
}

/** Every live process whose process group is `pgid`, with its VmRSS. */
export function groupRss(pgid: number): ProcessRss[] {
  const out: ProcessRss[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readOr(`/proc/${entry}/stat`);
    if (!stat) continue;
    // Fields after the parenthesised comm: state ppid pgrp ...
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    if (Number(fields[2]) !== pgid) continue;
    const status = readOr(`/proc/${entry}/status`);
    const match = status?.match(/^VmRSS:\s+(\d+)\s+kB/m);
    if (!match?.[1]) continue; // A zombie has no VmRSS.
    out.push({ pid: Number(entry), comm, rssKb: Number(match[1]) });
  }
  return out;
}

export function sumRssKb(processes: readonly ProcessRss[], comm?: string): number {
  return processes.filter((p) => comm === undefined || p.comm === comm).reduce((n, p) => n + p.rssKb, 0);
}

/** IPv4 ports that process `pid` listens on at 127.0.0.1 or 0.0.0.0. */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  for (const fd of fds) {
    try {
      const m = readlinkSync(`/proc/${pid}/fd/${fd}`).match(/^socket:\[(\d+)\]$/);
      if (m?.[1]) inodes.add(m[1]);
    } catch {
      // Closed meanwhile.
    }
  }
  const ports: number[] = [];
  for (const line of (readOr("/proc/net/tcp") ?? "").split("\n").slice(1)) {
    const cols = line.trim().split(/\s+/);
    const [local, , state] = [cols[1], cols[2], cols[3]];
    const inode = cols[9];
    if (state !== "0A" || !local || !inode || !inodes.has(inode)) continue;
    const [addr, portHex] = local.split(":");
    if (addr === "0100007F" || addr === "00000000") ports.push(parseInt(portHex ?? "0", 16));
  }
  return ports;
}
