import { describe, expect, it } from "vitest";
import lht65 from "../../fixtures/ttn/dragino-lht65.json";
import { redated, ttnFixture } from "../../fixtures/ttn/load";

const MINUTE = 60_000;

describe("TTN fixtures, re-dated", () => {
  it("moves every time by one offset, the newest to now, keeping their spacing and precision", () => {
    const now = Date.parse("2031-05-04T08:00:00.250Z");
    const body = ttnFixture("dragino-lht65", now);
    expect(body.received_at).toBe("2031-05-04T08:00:00.250456789Z");
    const gateway = body.uplink_message.rx_metadata[0];
    expect(Date.parse(body.received_at) - Date.parse(gateway?.time ?? "")).toBe(
      Date.parse(lht65.received_at) - Date.parse(lht65.uplink_message.rx_metadata[0]?.time ?? ""),
    );
    expect(gateway?.time).toMatch(/^2031-05-04T08:00:00\.\d{6}Z$/);
    expect(Date.parse(body.received_at) - Date.parse(body.uplink_message.last_battery_percentage.received_at)).toBe(
      Date.parse(lht65.received_at) - Date.parse(lht65.uplink_message.last_battery_percentage.received_at),
    );
    expect({ ...body, received_at: lht65.received_at }).not.toEqual(lht65);
    expect(body.uplink_message.frm_payload).toBe(lht65.uplink_message.frm_payload);
  });

  it("gives a fresh copy each time, and leaves text that is not a time alone", () => {
    const first = ttnFixture("join-accept");
    first.end_device_ids.dev_eui = "changed";
    expect(ttnFixture("join-accept").end_device_ids.dev_eui).not.toBe("changed");
    expect(Math.abs(Date.parse(ttnFixture("join-accept").received_at) - Date.now())).toBeLessThan(MINUTE);
    expect(redated({ note: "2026-11-23", at: "yesterday" })).toEqual({ note: "2026-11-23", at: "yesterday" });
  });
});
