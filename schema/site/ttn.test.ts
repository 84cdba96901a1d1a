import { describe, expect, it } from "vitest";
import { ttnFixture } from "../../tests/fixtures/ttn/load";
import { type FieldMapping, fieldMappingSchema, parseRfc3339, parseWebhook, type Uplink } from "./ttn";

/** When the fixtures were received: a moment ago, as TTN delivers a message when it receives it. */
const now = Date.now();
const RECEIVED = now - 2_000;
const downlinkAck = ttnFixture("downlink-ack", RECEIVED);
const lds02 = ttnFixture("dragino-lds02-door", RECEIVED);
const lht65 = ttnFixture("dragino-lht65", RECEIVED);
const elsys = ttnFixture("elsys-ers", RECEIVED);
const joinAccept = ttnFixture("join-accept", RECEIVED);
const em300 = ttnFixture("milesight-em300-th", RECEIVED);
const noDecoder = ttnFixture("no-decoder", RECEIVED);

/** A deep copy of a fixture, to mutate freely. */
// biome-ignore lint/suspicious/noExplicitAny: tests break fixtures at any path, into shapes no TTN type allows
function copy(fixture: unknown): any {
  return structuredClone(fixture);
}

function uplinkOf(body: unknown, mapping?: FieldMapping): Uplink {
  const parsed = parseWebhook(body, { now, mapping });
  if (parsed.kind !== "uplink") throw new Error(`expected an uplink, got ${JSON.stringify(parsed)}`);
  return parsed.uplink;
}

function invalidOf(body: unknown, mapping?: FieldMapping, at = now) {
  const parsed = parseWebhook(body, { now: at, mapping });
  if (parsed.kind !== "invalid") throw new Error(`expected invalid, got ${JSON.stringify(parsed)}`);
  return parsed;
}

// biome-ignore lint/suspicious/noExplicitAny: as copy(), a body to break further
function withDecoded(decoded: Record<string, unknown>): any {
  const body = copy(em300);
  body.uplink_message.decoded_payload = decoded;
  return body;
}

describe("parseWebhook: fixtures", () => {
  it("Dragino LHT65: SHT temperature and humidity, BatV, best of two gateways", () => {
    const u = uplinkOf(lht65);
    expect(u).toEqual({
      devEui: "A84041000181C2D5",
      deviceId: "lht65-cellar",
      fCnt: 1834,
      correlationIds: lht65.correlation_ids,
      receivedAt: RECEIVED,
      values: { temperature: 22.41, humidity: 46.3, battery: 3.05 },
      rssi: -71,
      snr: 9.25,
      gatewayId: "haven-gw-attic",
      gateways: 2,
      decoded: true,
    });
  });

  it("Milesight EM300-TH: a battery percentage (not volts) is left out, not refused", () => {
    const u = uplinkOf(em300);
    expect(u.values).toEqual({ temperature: 27.1, humidity: 55 });
    expect([u.rssi, u.snr, u.gateways, u.fCnt]).toEqual([-84, 7.5, 1, 412]);
  });

  it("Elsys ERS: vdd in mV becomes volts; equal rssi is settled by snr", () => {
    const u = uplinkOf(elsys);
    expect(u.values).toEqual({ temperature: 22.6, humidity: 41, battery: 3.6 });
    expect(u.gateways).toBe(3);
    expect([u.rssi, u.snr]).toEqual([-88, 6.5]);
  });

  it("Dragino LDS02: DOOR_OPEN_STATUS 1 is open; BAT_V is read only with a mapping", () => {
    expect(uplinkOf(lds02).values).toEqual({ doorOpen: true });
    expect(uplinkOf(lds02, { doorOpen: "DOOR_OPEN_STATUS", battery: "BAT_V" }).values).toEqual({
      doorOpen: true,
      battery: 3,
    });
  });

  it("no decoder: valid, no values, decoded false, omitted f_cnt → null", () => {
    const u = uplinkOf(noDecoder);
    expect(u.decoded).toBe(false);
    expect(u.values).toEqual({});
    expect(u.fCnt).toBeNull();
    expect([u.rssi, u.snr, u.gateways]).toEqual([-102, -2.5, 1]);
  });

  it("join_accept and downlink_ack are ignored, not invalid", () => {
    expect(parseWebhook(joinAccept, { now })).toEqual({ kind: "ignored", event: "join_accept" });
    expect(parseWebhook(downlinkAck, { now })).toEqual({ kind: "ignored", event: "downlink_ack" });
  });

  it("ignores a join_accept or downlink_ack at any age: nothing of it is stored", () => {
    const day = 24 * 3_600_000;
    expect(parseWebhook(joinAccept, { now: now + 30 * day })).toEqual({ kind: "ignored", event: "join_accept" });
    expect(parseWebhook(downlinkAck, { now: now - day })).toEqual({ kind: "ignored", event: "downlink_ack" });
    expect(parseWebhook(lht65, { now: now + 30 * day }).kind).toBe("invalid");
  });
});

describe("parseWebhook: envelope", () => {
  it("ignores the other ApplicationUp events, and event types it has never heard of", () => {
    for (const event of [
      "downlink_nack",
      "downlink_sent",
      "downlink_failed",
      "downlink_queued",
      "downlink_queue_invalidated",
      "location_solved",
      "service_data",
      "uplink_normalized",
    ]) {
      const body = copy(joinAccept);
      delete body.join_accept;
      body[event] = { session_key_id: "x" };
      expect(parseWebhook(body, { now })).toEqual({ kind: "ignored", event });
    }
    const future = copy(joinAccept);
    delete future.join_accept;
    future.device_reset = {};
    expect(parseWebhook(future, { now })).toEqual({ kind: "ignored", event: "device_reset" });
  });

  it("refuses a body with no event at all", () => {
    const body = copy(joinAccept);
    delete body.join_accept;
    expect(invalidOf(body).reason).toBe("no event in message");
  });

  it("refuses non-object bodies", () => {
    for (const body of [null, undefined, "hello", 42, [lht65]])
      expect(invalidOf(body).reason).toBe("body is not a JSON object");
  });

  it("refuses a missing or malformed dev_eui, and upper-cases a lower-case one", () => {
    const missing = copy(lht65);
    delete missing.end_device_ids.dev_eui;
    const m = invalidOf(missing);
    expect(m.reason).toBe("missing end_device_ids.dev_eui");
    expect(m.fields?.[0]?.path).toBe("end_device_ids.dev_eui");
    const bad = copy(lht65);
    bad.end_device_ids.dev_eui = "A84041000181C2";
    expect(invalidOf(bad).reason).toBe("invalid end_device_ids.dev_eui");
    const lower = copy(lht65);
    lower.end_device_ids.dev_eui = "a84041000181c2d5";
    expect(uplinkOf(lower).devEui).toBe("A84041000181C2D5");
  });

  it("refuses a time an hour ahead or 30 days old, accepts a few minutes of skew", () => {
    const hour = 3_600_000;
    expect(invalidOf(lht65, undefined, RECEIVED - hour).reason).toBe("timestamp out of range");
    expect(invalidOf(lht65, undefined, RECEIVED + 30 * 24 * hour).reason).toBe("timestamp out of range");
    expect(parseWebhook(lht65, { now: RECEIVED - 4 * 60_000 }).kind).toBe("uplink");
    expect(parseWebhook(lht65, { now: RECEIVED + 6 * 24 * hour }).kind).toBe("uplink");
  });

  it("refuses a received_at that is not RFC 3339", () => {
    for (const text of ["yesterday", "2026-11-23 10:15:30Z", "2026-02-30T10:00:00Z", "2026-11-23T10:15:30"]) {
      const body = copy(lht65);
      body.received_at = text;
      expect(invalidOf(body).reason).toBe("received_at is not an RFC 3339 time");
    }
  });

  it("parses nanosecond fractions and offsets", () => {
    expect(parseRfc3339("2026-11-23T10:15:30.123456789Z")).toBe(Date.UTC(2026, 10, 23, 10, 15, 30, 123));
    expect(parseRfc3339("2026-11-23T11:15:30.1+01:00")).toBe(Date.UTC(2026, 10, 23, 10, 15, 30, 100));
  });

  it("bounds rx_metadata and correlation_ids", () => {
    const many = copy(lht65);
    many.uplink_message.rx_metadata = Array.from({ length: 100 }, () => many.uplink_message.rx_metadata[0]);
    expect(invalidOf(many).reason).toBe("too many entries in uplink_message.rx_metadata");
    const ids = copy(lht65);
    ids.correlation_ids = Array.from({ length: 40 }, (_, i) => `as:up:${i}`);
    expect(invalidOf(ids).reason).toBe("too many entries in correlation_ids");
  });

  it("ignores unknown fields anywhere", () => {
    const body = copy(lht65);
    body.future_top = { a: 1 };
    body.end_device_ids.future = "x";
    body.uplink_message.future = [1, 2];
    body.uplink_message.rx_metadata[0].future = true;
    expect(uplinkOf(body)).toEqual(uplinkOf(lht65));
  });
});

describe("parseWebhook: radio metadata", () => {
  it("picks the strongest gateway and reports its snr", () => {
    const body = copy(lht65);
    body.uplink_message.rx_metadata = [
      { gateway_ids: { gateway_id: "gw-a" }, rssi: -110, snr: 12 },
      { gateway_ids: { gateway_id: "gw-b" }, rssi: -60, snr: -3 },
      { gateway_ids: { gateway_id: "gw-c" }, channel_rssi: -80, snr: 5 },
      { gateway_ids: { gateway_id: "gw-d" } },
    ];
    const u = uplinkOf(body);
    expect([u.rssi, u.snr, u.gatewayId, u.gateways]).toEqual([-60, -3, "gw-b", 4]);
  });

  it("names the best gateway only by a TTN-shaped id, and still takes the reading without one", () => {
    expect(uplinkOf(copy(lht65)).gatewayId).toBe("haven-gw-attic");
    for (const gatewayIds of [{ gateway_id: "Not An Id!" }, { gateway_id: "x".repeat(37) }, { gateway_id: 7 }, "gw"]) {
      const body = copy(lht65);
      body.uplink_message.rx_metadata = [{ gateway_ids: gatewayIds, rssi: -70 }];
      const u = uplinkOf(body);
      expect([u.rssi, u.gatewayId], JSON.stringify(gatewayIds)).toEqual([-70, null]);
    }
  });

  it("falls back to channel_rssi, and to null without metadata", () => {
    const body = copy(lht65);
    body.uplink_message.rx_metadata = [{ gateway_ids: { gateway_id: "c" }, channel_rssi: -80 }];
    expect([uplinkOf(body).rssi, uplinkOf(body).snr]).toEqual([-80, null]);
    delete body.uplink_message.rx_metadata;
    const u = uplinkOf(body);
    expect([u.rssi, u.snr, u.gateways]).toEqual([null, null, 0]);
  });

  it("f_cnt omitted → null", () => {
    const body = copy(lht65);
    delete body.uplink_message.f_cnt;
    expect(uplinkOf(body).fCnt).toBeNull();
  });
});

describe("parseWebhook: values", () => {
  it("refuses the whole message for an impossible temperature", () => {
    for (const temperature of [-300, Number.NaN, "hot", 101, Number.POSITIVE_INFINITY, true]) {
      const r = invalidOf(withDecoded({ temperature, humidity: 40 }));
      expect(r.reason).toBe("temperature out of range");
      expect(r.fields?.[0]?.path).toBe("uplink_message.decoded_payload.temperature");
    }
  });

  it("accepts range edges and decimal strings", () => {
    expect(uplinkOf(withDecoded({ temperature: -60, humidity: 0 })).values).toEqual({ temperature: -60, humidity: 0 });
    expect(uplinkOf(withDecoded({ temperature: "21.50", humidity: 100 })).values).toEqual({
      temperature: 21.5,
      humidity: 100,
    });
  });

  it("refuses humidity outside 0…100", () => {
    expect(invalidOf(withDecoded({ humidity: 120 })).reason).toBe("humidity out of range");
    expect(invalidOf(withDecoded({ humidity: -1 })).reason).toBe("humidity out of range");
  });

  it("battery: volts as-is, millivolts divided, nonsense refused", () => {
    expect(uplinkOf(withDecoded({ battery: 3.3 })).values.battery).toBe(3.3);
    expect(uplinkOf(withDecoded({ vdd: 3012 })).values.battery).toBeCloseTo(3.012, 6);
    expect(uplinkOf(withDecoded({ battery: 55 })).values.battery).toBeUndefined();
    expect(invalidOf(withDecoded({ battery: 36000 })).reason).toBe("battery out of range");
    expect(invalidOf(withDecoded({ battery: -1 })).reason).toBe("battery out of range");
  });

  it("door: booleans, 0/1 and open/closed/close strings", () => {
    const cases: [unknown, boolean][] = [
      [true, true],
      [false, false],
      [1, true],
      [0, false],
      ["open", true],
      ["OPEN", true],
      ["closed", false],
      ["close", false],
    ];
    for (const [door, open] of cases)
      expect(uplinkOf(withDecoded({ door_open: door })).values).toEqual({ doorOpen: open });
    expect(invalidOf(withDecoded({ door: "ajar" })).reason).toBe("doorOpen out of range");
    expect(invalidOf(withDecoded({ door: 2 })).reason).toBe("doorOpen out of range");
  });

  it("default candidates are tried in order; null counts as absent", () => {
    expect(uplinkOf(withDecoded({ Temperature: 5, temp: 6 })).values).toEqual({ temperature: 6 });
    expect(uplinkOf(withDecoded({ temperature: null, TempC_SHT: 7 })).values).toEqual({ temperature: 7 });
  });

  it("a custom mapping with dotted paths uses exactly those keys", () => {
    const body = withDecoded({ temperature: 99, sensor: { temp: 18.5, rh: { value: 61 } }, power: { mv: 2950 } });
    const u = uplinkOf(body, { temperature: "sensor.temp", humidity: "sensor.rh.value", battery: "power.mv" });
    expect(u.values).toEqual({ temperature: 18.5, humidity: 61, battery: 2.95 });
    expect(uplinkOf(body, { doorOpen: "sensor.missing.deeper" }).values).toEqual({});
  });

  it("does not walk the prototype chain", () => {
    expect(uplinkOf(withDecoded({}), { temperature: "constructor.name" }).values).toEqual({});
  });
});

describe("fieldMappingSchema", () => {
  it("accepts our fields with dotted decoder paths", () => {
    expect(fieldMappingSchema.safeParse({ temperature: "TempC_SHT", battery: "sensor.bat_v" }).success).toBe(true);
  });
  it("refuses other fields, empty or long paths and odd characters", () => {
    for (const bad of [
      { pressure: "p" },
      { temperature: "" },
      { temperature: "a".repeat(65) },
      { temperature: "a-b" },
      { temperature: "a..b" },
      { temperature: ".a" },
    ])
      expect(fieldMappingSchema.safeParse(bad).success).toBe(false);
  });
  it("parseWebhook throws on a malformed mapping (a configuration error, not a bad message)", () => {
    expect(() => parseWebhook(lht65, { now, mapping: { temperature: "a b" } })).toThrow();
  });
});
