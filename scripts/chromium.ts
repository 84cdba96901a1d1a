/** Debian's Chromium as the browser tests and the benchmark launch it. */
import { type Browser, chromium } from "playwright-core";

/**
 * Headless, no sandbox (tests run as root), and nothing that reaches for the network on
 * its own: this machine has none, and Chromium's background requests would only fail.
 */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** `extraArgs` add to CHROMIUM_ARGS, e.g. a fake microphone playing a WAV file. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: [...CHROMIUM_ARGS, ...extraArgs] });
}
