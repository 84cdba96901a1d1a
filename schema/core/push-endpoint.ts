/**
 * Which Web Push endpoints Haven posts to. An endpoint is a URL a browser hands over, so anyone signed
 * in can send any URL: only `https:` on port 443 to a host name of a known push service passes (see
 * PUSH_SERVICE_HOSTS in config.ts), never an IP literal in any spelling and never one with user info.
 * The subscribe route checks it, and delivery checks it again before every send, so a subscription
 * stored under an older rule cannot reach an internal address either.
 */
import { PUSH_SERVICE_HOSTS } from "../../config";

/** A host the URL parser reads as an IPv4 address: its last label is a number (decimal, octal or hex). */
const NUMERIC_LAST_LABEL = /(^|\.)(0x[0-9a-f]*|\d+)\.?$/i;
const HOST_NAME = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

function isPushServiceHost(hostname: string): boolean {
  if (PUSH_SERVICE_HOSTS.exact.includes(hostname)) return true;
  return PUSH_SERVICE_HOSTS.suffixes.some((suffix) => hostname.length > suffix.length && hostname.endsWith(suffix));
}

/**
 * Why `endpoint` may not receive pushes, or null when it may. `testOrigin` is the origin of the test push
 * service: only the workerd suite's bindings set it (vitest.config.ts), never a request.
 */
export function pushEndpointProblem(endpoint: string, testOrigin?: string): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return "is not a URL";
  }
  if (url.username || url.password) return "may not carry a user name or password";
  if (testOrigin !== undefined && url.origin === new URL(testOrigin).origin) return null;
  if (url.protocol !== "https:") return "must be an https URL";
  if (url.port !== "") return "may not name a port: push services answer on 443";
  const host = url.hostname;
  if (host.startsWith("[") || NUMERIC_LAST_LABEL.test(host)) return "must name a push service, not an IP address";
  if (!HOST_NAME.test(host) || !isPushServiceHost(host)) {
    return "must be the endpoint of a known push service (FCM, Mozilla, Apple or Windows)";
  }
  return null;
}
