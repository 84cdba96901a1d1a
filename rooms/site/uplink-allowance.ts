/**
 * How fast uplinks may come into a site: per sensor (a sensor that floods), per ingest key
 * and for the whole site (a key holder inventing a new DevEUI for every uplink, which no
 * per-sensor limit sees). In memory: a woken room starts every allowance full.
 */
import {
  UPLINK_BURST_PER_DEVICE,
  UPLINK_BURST_PER_KEY,
  UPLINK_BURST_PER_SITE,
  UPLINKS_PER_SECOND_PER_DEVICE,
  UPLINKS_PER_SECOND_PER_KEY,
  UPLINKS_PER_SECOND_PER_SITE,
} from "../../config";
import { TokenBucket } from "../core/token-bucket";

/** Sensors whose allowance is remembered; past it the map starts afresh (a forgotten sensor only gets a full burst). */
const MAX_DEVICES_TRACKED = 10_000;

export class UplinkAllowance {
  readonly #site: TokenBucket;
  readonly #keys = new Map<string, TokenBucket>();
  readonly #devices = new Map<string, TokenBucket>();

  constructor(now = Date.now()) {
    this.#site = new TokenBucket(UPLINK_BURST_PER_SITE, UPLINKS_PER_SECOND_PER_SITE, now);
  }

  /** Whether one more uplink from this key (and sensor, when the body names one) may come in now. */
  take(keyHash: string, devEui: string | null, now = Date.now()): boolean {
    let key = this.#keys.get(keyHash);
    if (!key) {
      key = new TokenBucket(UPLINK_BURST_PER_KEY, UPLINKS_PER_SECOND_PER_KEY, now);
      this.#keys.set(keyHash, key);
    }
    let device: TokenBucket | undefined;
    if (devEui !== null) {
      device = this.#devices.get(devEui);
      if (!device) {
        if (this.#devices.size >= MAX_DEVICES_TRACKED) this.#devices.clear();
        device = new TokenBucket(UPLINK_BURST_PER_DEVICE, UPLINKS_PER_SECOND_PER_DEVICE, now);
        this.#devices.set(devEui, device);
      }
    }
    // The narrowest first, so a flooding sensor spends its own allowance and not its site's.
    if (device && !device.take(1, now)) return false;
    if (!key.take(1, now)) return false;
    return this.#site.take(1, now);
  }
}
