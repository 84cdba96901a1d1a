/** A deal with its team, and the calls the audit tests make: the routes, raw SQL on the chain, the verify report. */
import { env, runInDurableObject } from "cloudflare:test";
import { sha256 } from "../../../rooms/core/sha256";
import type { DealRoom } from "../../../rooms/deal/DealRoom";
import type { Room } from "../../../schema/core/api";
import type { AuditHead, AuditVerifyReport } from "../../../schema/deal/audit";
import { checkExport } from "../../../scripts/audit-export-check";
import { type Account, addMember, api, createRoom, json, signup } from "../helpers";

export interface DealTeam {
  room: Room;
  owner: Account;
  admin: Account;
  coordinator: Account;
  agent: Account;
  buyer: Account;
}

export async function dealTeam(): Promise<DealTeam> {
  const owner = await signup("Olive Owner");
  const room = await createRoom(owner, "deal", "12 Elm St purchase");
  const [admin, coordinator, agent, buyer] = await Promise.all([
    addMember(owner, room, "admin", "Ada Admin"),
    addMember(owner, room, "transaction_coordinator", "Cole Coordinator"),
    addMember(owner, room, "buyer_agent", "Alex Agent"),
    addMember(owner, room, "buyer", "Bea Buyer"),
  ]);
  return { room, owner, admin, coordinator, agent, buyer };
}

export const dealStub = (room: Room) =>
  env.deal.get(env.deal.idFromName(room.id)) as unknown as DurableObjectStub<DealRoom>;

/** Runs SQL in the deal's own database, as someone with access to the storage could. */
export async function tamper(room: Room, ...statements: string[]): Promise<void> {
  await runInDurableObject(dealStub(room), (_instance, state) => {
    for (const statement of statements) state.storage.sql.exec(statement);
  });
}

export async function auditRows(room: Room): Promise<Record<string, SqlStorageValue>[]> {
  return runInDurableObject(dealStub(room), (_instance, state) =>
    state.storage.sql.exec<Record<string, SqlStorageValue>>("SELECT * FROM deal_audit ORDER BY seq").toArray(),
  );
}

export async function verify(room: Room, account: Account): Promise<AuditVerifyReport> {
  const res = await api(`/api/rooms/${room.id}/audit/verify`, { cookie: account.cookie });
  if (res.status !== 200) throw new Error(`verify answered ${res.status}: ${await res.text()}`);
  return json<AuditVerifyReport>(res);
}

export async function head(room: Room, account: Account): Promise<AuditHead> {
  const res = await api(`/api/rooms/${room.id}/audit/head`, { cookie: account.cookie });
  if (res.status !== 200) throw new Error(`head answered ${res.status}: ${await res.text()}`);
  return json<AuditHead>(res);
}

export async function exportText(room: Room, account: Account, format: "jsonl" | "csv"): Promise<Response> {
  return api(`/api/rooms/${room.id}/audit?format=${format}`, { cookie: account.cookie });
}

/** A body as UTF-8 text, whatever its type (workerd warns when `.text()` reads JSON lines). */
export const bodyText = async (res: Response): Promise<string> => new TextDecoder().decode(await res.arrayBuffer());

const hex = (bytes: Uint8Array): string => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");

/** The standalone verifier's own check (scripts/verify-audit-export.ts), run on an export's text. */
export const checkAlone = (text: string, expectedHead?: string) =>
  checkExport(text, (input) => hex(sha256(new TextEncoder().encode(input))), expectedHead);
