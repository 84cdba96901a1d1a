/**
 * `npm start`: builds the client, applies local D1 migrations, serves Haven on workerd at
 * http://127.0.0.1:8787 (PORT overrides) with state under .wrangler/state (HAVEN_STATE_DIR
 * overrides), and makes sure a demo account with one room of each kind exists (the site with
 * sensors and history, the deal half-way to closing with its team of demo accounts). The server
 * ends with this process, however it ends (see dev-server.ts): Ctrl+C, closing the terminal, or
 * npm killed.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Room } from "../schema/core/api";
import { ROOM_KINDS } from "../schema/core/roles";
import { DEAL_TEAM, seedDeal } from "./demo-deal";
import { demoHomeSteps } from "./demo-home";
import { seedSite } from "./demo-site";
import { startDevServer } from "./dev-server";

const DEMO = { email: "demo@haven.local", password: "haven-demo-2026", name: "Demo Owner" };
const DEMO_ROOM_NAMES = { property: "Maple Street home", deal: "12 Elm St purchase", site: "Harbour Kitchen" } as const;

async function call(url: string, path: string, init: RequestInit & { cookie?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set("Cookie", init.cookie);
  if (init.body) headers.set("Content-Type", "application/json");
  return fetch(`${url}${path}`, { ...init, headers });
}

/** Signs the demo account in (creating it the first time) and gives it one room of each kind. */
async function ensureDemo(url: string): Promise<void> {
  let res = await call(url, "/api/auth/login", {
    method: "POST",
    body: JSON.stringify({ email: DEMO.email, password: DEMO.password }),
  });
  if (res.status === 401) res = await call(url, "/api/auth/signup", { method: "POST", body: JSON.stringify(DEMO) });
  if (!res.ok) throw new Error(`could not prepare the demo account: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
  const { rooms } = (await (await call(url, "/api/rooms", { cookie })).json()) as { rooms: Room[] };
  for (const kind of ROOM_KINDS) {
    if (rooms.some((r) => r.kind === kind)) continue;
    const created = await call(url, "/api/rooms", {
      method: "POST",
      cookie,
      body: JSON.stringify({ kind, name: DEMO_ROOM_NAMES[kind] }),
    });
    if (created.status !== 201) throw new Error(`could not create the demo ${kind} room: ${created.status}`);
    rooms.push(((await created.json()) as { room: Room }).room);
  }
  const home = rooms.find((r) => r.kind === "property");
  if (home) await seedHome(url, cookie, home.id);
  const site = rooms.find((r) => r.kind === "site");
  // Demo sensors are a convenience: Haven still starts if they cannot be set up, and says why.
  if (site)
    await seedSite(url, cookie, site.id).catch((err: Error) =>
      console.warn(`  The demo site's sensors could not be set up: ${err.message}`),
    );
  const deal = rooms.find((r) => r.kind === "deal");
  // Like the site's sensors: Haven still starts without the demo deal, and says why.
  if (deal)
    await seedDeal(url, cookie, deal.id, DEMO.password).catch((err: Error) =>
      console.warn(`  The demo deal could not be set up: ${err.message}`),
    );
}

/** Fills the demo home; every step has a fixed key, so a second start replays them as no-ops. */
async function seedHome(url: string, cookie: string, roomId: string): Promise<void> {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (const [i, step] of demoHomeSteps(timeZone).entries()) {
    const res = await call(url, `/api/rooms/${roomId}/commands`, {
      method: "POST",
      cookie,
      body: JSON.stringify({ ...step, key: `demo-seed-${roomId}-${i}` }),
    });
    // A step already run in an earlier start under other arguments (another day) is fine.
    if (!res.ok && res.status !== 409)
      throw new Error(`could not fill the demo home (${step.name}): ${res.status} ${await res.text()}`);
  }
}

const root = fileURLToPath(new URL("..", import.meta.url));
const build = spawnSync(
  process.execPath,
  [fileURLToPath(new URL("../node_modules/vite/bin/vite.js", import.meta.url)), "build"],
  {
    cwd: root,
    stdio: "inherit",
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);

const port = Number(process.env.PORT ?? 8787);
const stateDir = process.env.HAVEN_STATE_DIR;
const server = await startDevServer({ port, inheritOutput: true, ...(stateDir ? { persistTo: stateDir } : {}) });
await ensureDemo(server.url);
const dealTeamLogins = Object.values(DEAL_TEAM)
  .map((member) => member.email)
  .join(", ");
console.log(`
  Haven is running at ${server.url}
  Demo login: ${DEMO.email} / ${DEMO.password}
  The demo deal's team, same password: ${dealTeamLogins}
  Data is kept in ${stateDir ?? ".wrangler/state"}. Press Ctrl+C to stop.
`);
// A signal reaches the server through dev-server.ts, which waits for it; this ends once it is gone.
server.child.on("exit", (code) => process.exit(code ?? 0));
