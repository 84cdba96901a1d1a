/** What the site tests share: a site with an ingest key, and TTN uplinks from an LHT65 probe as TTN sends them. */
import { SELF } from "cloudflare:test";
import type { Room } from "../../../schema/core/api";
import { ttnFixture } from "../../fixtures/ttn/load";
import { type Account, api, createRoom, json, ORIGIN, signup } from "../helpers";

/** The fixture probe's DevEUI, upper-case as Haven stores it. */
export const PROBE = ttnFixture("dragino-lht65").end_device_ids.dev_eui.toUpperCase();

let frame = 20_000;

export interface ProbeReading {
  /** Another sensor than the fixture's own. */
  devEui?: string;
  temperature: number;
  battery?: number;
  /** TTN's rx_metadata, when the test names the gateways it came through. */
  rxMetadata?: unknown[];
}

/** An LHT65 uplink measured at `at`, with a new frame counter and correlation id each time, as TTN sends them. */
export function lht65At(at: number, reading: ProbeReading): unknown {
  const body = ttnFixture("dragino-lht65", at) as Record<string, unknown> & {
    end_device_ids: Record<string, unknown>;
    uplink_message: Record<string, unknown> & { decoded_payload: Record<string, unknown> };
  };
  body.correlation_ids = [`as:up:${crypto.randomUUID()}`];
  if (reading.devEui !== undefined)
    body.end_device_ids = {
      ...body.end_device_ids,
      dev_eui: reading.devEui,
      device_id: `probe-${reading.devEui.toLowerCase()}`,
    };
  body.uplink_message = {
    ...body.uplink_message,
    f_cnt: frame++,
    decoded_payload: {
      ...body.uplink_message.decoded_payload,
      TempC_SHT: reading.temperature,
      BatV: reading.battery ?? 3.05,
    },
    ...(reading.rxMetadata ? { rx_metadata: reading.rxMetadata } : {}),
  };
  return body;
}

export interface KeyedSite {
  owner: Account;
  room: Room;
  key: string;
  /** Runs a command as the owner, or as `who`. */
  command: (name: string, args: unknown, who?: Account) => Promise<Response>;
  /** Sends a webhook body as TTN would, with the site's key. */
  post: (body: unknown) => Promise<Response>;
  /** A new area's or unit's id, made by command. */
  make: (name: string, args: unknown) => Promise<string>;
}

/** A new site, its owner and a live ingest key. */
export async function keyedSite(name = "Harbour Kitchen", ownerName = "Olga"): Promise<KeyedSite> {
  const owner = await signup(ownerName);
  const room = await createRoom(owner, "site", name);
  const { key } = await json<{ key: string }>(
    await api(`/api/rooms/${room.id}/ingest-keys`, { cookie: owner.cookie, body: { label: "TTN" } }),
  );
  const command = (cmd: string, args: unknown, who: Account = owner) =>
    api(`/api/rooms/${room.id}/commands`, { cookie: who.cookie, body: { name: cmd, args, key: crypto.randomUUID() } });
  const post = (body: unknown) =>
    SELF.fetch(`${ORIGIN}/api/sites/${room.id}/ttn`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
  const make = async (cmd: string, args: unknown) => {
    const res = await command(cmd, args);
    if (res.status !== 200) throw new Error(`${cmd}: ${res.status} ${await res.text()}`);
    return (await json<{ result: { id: string } }>(res)).result.id;
  };
  return { owner, room, key, command, post, make };
}
