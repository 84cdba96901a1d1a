/**
 * `npm run vapid-keys`: prints a new Web Push (VAPID) key pair for a deployment: the
 * public key (the uncompressed P-256 point) for `VAPID_PUBLIC_KEY` in wrangler.toml, the
 * private scalar for `wrangler secret put VAPID_PRIVATE_KEY`, both base64url.
 */
import { generateKeyPairSync } from "node:crypto";

const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const pub = publicKey.export({ format: "jwk" });
const priv = privateKey.export({ format: "jwk" });
const point = Buffer.concat([
  Buffer.from([0x04]),
  Buffer.from(pub.x ?? "", "base64url"),
  Buffer.from(pub.y ?? "", "base64url"),
]);
console.log(`VAPID_PUBLIC_KEY  = ${point.toString("base64url")}\nVAPID_PRIVATE_KEY = ${priv.d}`);
