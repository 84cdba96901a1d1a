// @ts-check
/**
 * Runs a server so that it never outlives the program that started it. scripts/dev-server.ts
 * starts every `wrangler dev` (and the benchmark's other servers) through this, as the leader
 * of a process group of its own, the server its child in that group:
 *
 *   node scripts/watchdog.mjs <parentPid> <stopGraceMs> <pollMs> <command> [args...]
 *
 * - A signal to the group reaches the server and what it started (workerd) directly; this
 *   process only waits for the server to exit, and kills the group once stopGraceMs passed.
 * - When the starter is gone, however it ended (SIGKILL runs no handler), it sends SIGTERM to
 *   the group, with the same grace.
 * - It ends as the server did, after signalling whatever the server left in the group.
 *
 * The starter is the parent and its ancestors in the parent's process group (its job), polled
 * with kill(pid, 0): `npm start` runs start.ts under `sh -c` and tsx, so killing npm alone ends
 * none of them, and a pipe held by the parent would stay open. (A dead ancestor its own parent
 * has not reaped yet still looks alive; shells and Node reap at once.) Plain JavaScript, so a
 * bare `node` runs it without loading a TypeScript loader into every server's group.
 */
import { execFileSync, spawn } from "node:child_process";

const [parentArg, graceArg, pollArg, command, ...args] = process.argv.slice(2);
if (!command)
  throw new Error("usage: node scripts/watchdog.mjs <parentPid> <stopGraceMs> <pollMs> <command> [args...]");
// Given rather than read from process.ppid, so a parent that died before this line is still noticed.
const parent = Number(parentArg);
const stopGraceMs = Number(graceArg);
const pollMs = Number(pollArg);

/** @returns {number[]} the parent and its ancestors up to the leader of the parent's process group */
function starter() {
  let table;
  try {
    table = execFileSync("ps", ["-A", "-o", "pid=,ppid=,pgid="], { encoding: "utf8" });
  } catch {
    return [parent]; // No `ps` (a slim container): the parent alone is watched.
  }
  /** @type {Map<number, { ppid: number, pgid: number }>} */
  const processes = new Map();
  for (const line of table.trim().split("\n")) {
    const [pid = 0, ppid = 0, pgid = 0] = line.trim().split(/\s+/).map(Number);
    processes.set(pid, { ppid, pgid });
  }
  const group = processes.get(parent)?.pgid;
  const chain = [parent];
  for (let pid = processes.get(parent)?.ppid ?? 0; pid > 1 && processes.get(pid)?.pgid === group; ) {
    chain.push(pid);
    pid = processes.get(pid)?.ppid ?? 0;
  }
  return chain;
}

/** @param {number} pid */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return /** @type {NodeJS.ErrnoException} */ (err).code === "EPERM";
  }
}

let ending = false;
/** @param {NodeJS.Signals | null} signal sent to the group first; null when the group got one already */
function end(signal) {
  if (ending) return;
  ending = true;
  clearInterval(poll);
  if (signal) process.kill(0, signal);
  setTimeout(() => process.kill(0, "SIGKILL"), stopGraceMs);
}

const watched = starter();
// process.ppid changes the moment the parent dies (this process is reparented).
const poll = setInterval(() => {
  if (process.ppid !== parent || !watched.every(alive)) end("SIGTERM");
}, pollMs);

// Each signal that ends a process by default was sent to the whole group (or came from end()):
// the server got it too, so this process stays to see it through.
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"]))
  process.on(signal, () => end(null));

const server = spawn(command, args, { stdio: "inherit" });
server.on("error", (err) => {
  console.error(`watchdog: could not start ${command}: ${err.message}`);
  process.exit(1);
});
server.on("exit", (code, signal) => {
  // A server that died abruptly may leave workerd behind; SIGTERM reaches it (and this process, which ignores it).
  process.kill(0, "SIGTERM");
  if (signal === null) process.exit(code ?? 1);
  // End as the server did, so the starter sees the same exit as without this process in between.
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
});
