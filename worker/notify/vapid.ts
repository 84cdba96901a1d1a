import type { VapidKeys } from "./web-push";

/** The Worker's VAPID identity, or null while either half is unset: Web Push is then off. */
export function vapidKeys(env: Env): VapidKeys | null {
  const publicKey: string = env.VAPID_PUBLIC_KEY;
  const privateKey = env.VAPID_PRIVATE_KEY ?? "";
  if (!publicKey || !privateKey) return null;
  return { publicKey, privateKey, subject: env.VAPID_SUBJECT };
}
