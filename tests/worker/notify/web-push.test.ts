/**
 * Web Push from workerd to a real push service over HTTP: tests/support/global-setup.ts runs
 * tests/support/push-endpoint.ts in Node, and these tests post to it with the Worker's own fetch, read back
 * what it kept, and decrypt that with the test-side decryptor, which is itself held to RFC 8291's example.
 */
import { env } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import {
  encryptPushMessage,
  generateVapidKeys,
  MAX_PLAINTEXT_BYTES,
  PushEndpointRefused,
  type PushOptions,
  type PushTarget,
  sendWebPush,
  type VapidKeys,
  WebPushError,
} from "../../../worker/notify/web-push";
import "../../support/provided-context";
import {
  base64UrlToBytes,
  bytesToBase64Url,
  createSubscriberKeys,
  decryptPushPayload,
  parseAes128gcmHeader,
  type ReceivedPush,
  type ReceivedPushJson,
  receivedFromJson,
  type SubscriberKeys,
  verifyVapidAuthorization,
} from "../../support/push-crypto";
import { HOSTILE_PUSH_ENDPOINTS } from "./hostile-endpoints";

/** RFC 8291 Appendix A. */
const RFC8291 = {
  plaintext: "When I grow up, I want to be a watermelon",
  asPublic: "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8",
  asPrivate: "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw",
  uaPublic: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
  uaPrivate: "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94",
  salt: "DGv6ra1nlYgDCS1FRnbzlw",
  auth: "BTBZMqHH6r4Tts7J_aSIgg",
  body:
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vC" +
    "YLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_" +
    "yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
};

/** A P-256 private JWK from the RFC's separate point and scalar. */
function ecJwk(point: string, d: string): JsonWebKey {
  const bytes = base64UrlToBytes(point);
  return {
    kty: "EC",
    crv: "P-256",
    x: bytesToBase64Url(bytes.subarray(1, 33)),
    y: bytesToBase64Url(bytes.subarray(33)),
    d,
  };
}

const pushService = inject("pushEndpointUrl");

/** sendWebPush with the test seam: the local push service's origin, which only the suite's bindings name. */
const send = (target: PushTarget, payload: unknown, vapid: VapidKeys, options: PushOptions = {}) =>
  sendWebPush(target, payload, vapid, { testOrigin: env.PUSH_TEST_ORIGIN, ...options });

async function vapidKeys(): Promise<VapidKeys> {
  return { ...(await generateVapidKeys()), subject: "mailto:push@haven.test" };
}

/** A browser-made subscription whose endpoint is a path of its own on the test push service. */
async function subscribe(): Promise<{ target: PushTarget; subscriber: SubscriberKeys; path: string }> {
  const subscriber = await createSubscriberKeys();
  const path = `/push/${crypto.randomUUID()}`;
  return {
    target: { endpoint: `${pushService}${path}`, keys: { p256dh: subscriber.p256dh, auth: subscriber.auth } },
    subscriber,
    path,
  };
}

async function receivedAt(path: string): Promise<ReceivedPush[]> {
  const response = await fetch(`${pushService}/__received?path=${encodeURIComponent(path)}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as ReceivedPushJson[]).map(receivedFromJson);
}

async function failNext(status: number, times = 1, body?: string): Promise<void> {
  const text = body === undefined ? "" : `&body=${encodeURIComponent(body)}`;
  const response = await fetch(`${pushService}/__fail-next?status=${status}&times=${times}${text}`, { method: "POST" });
  expect(response.status).toBe(204);
}

describe("RFC 8291 Appendix A", () => {
  it("the test-side decryptor opens the RFC's message", async () => {
    const plaintext = await decryptPushPayload(base64UrlToBytes(RFC8291.body), {
      privateJwk: ecJwk(RFC8291.uaPublic, RFC8291.uaPrivate),
      p256dh: RFC8291.uaPublic,
      auth: RFC8291.auth,
    });
    expect(plaintext).toBe(RFC8291.plaintext);
  });

  it("the Worker's encryption, given the RFC's salt and sender key, writes the RFC's bytes", async () => {
    const jwk = ecJwk(RFC8291.asPublic, RFC8291.asPrivate);
    const algorithm = { name: "ECDH", namedCurve: "P-256" };
    const keyPair: CryptoKeyPair = {
      privateKey: await crypto.subtle.importKey("jwk", jwk, algorithm, false, ["deriveBits"]),
      publicKey: await crypto.subtle.importKey(
        "jwk",
        { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y },
        algorithm,
        true,
        [],
      ),
    };
    const body = await encryptPushMessage(
      new TextEncoder().encode(RFC8291.plaintext),
      { p256dh: RFC8291.uaPublic, auth: RFC8291.auth },
      { salt: base64UrlToBytes(RFC8291.salt), keyPair },
    );
    expect(bytesToBase64Url(body)).toBe(RFC8291.body);
  });
});

describe("sendWebPush to a push service", () => {
  it("delivers JSON that the subscriber decrypts to exactly what was sent, with RFC 8030 headers", async () => {
    const vapid = await vapidKeys();
    const { target, subscriber, path } = await subscribe();
    const payload = { type: "mention", room: "r_1", text: "Über den Dächern 🏠", at: 1_714_000_000_000 };

    const outcome = await send(target, payload, vapid, { ttlSeconds: 600, urgency: "high", topic: "room-r_1" });
    expect(outcome).toEqual({ ok: true, status: 201 });

    const [push, ...more] = await receivedAt(path);
    expect(more).toHaveLength(0);
    if (!push) throw new Error("the push service kept nothing");
    expect(await decryptPushPayload(push.body, subscriber)).toBe(JSON.stringify(payload));
    expect(push.headers["content-encoding"]).toBe("aes128gcm");
    expect(push.headers["content-type"]).toBe("application/octet-stream");
    expect(push.headers.ttl).toBe("600");
    expect(push.headers.urgency).toBe("high");
    expect(push.headers.topic).toBe("room-r_1");
    expect(push.headers["crypto-key"]).toBeUndefined();
    expect(parseAes128gcmHeader(push.body).recordSize).toBe(4096);
  });

  it(
    "signs a VAPID header that the push service verified: " + "ES256 by k, aud its origin, exp within 24 hours",
    async () => {
      const vapid = await vapidKeys();
      const { target, path } = await subscribe();
      expect(await send(target, { hello: 1 }, vapid)).toEqual({ ok: true, status: 201 });

      const [push] = await receivedAt(path);
      if (!push) throw new Error("the push service kept nothing");
      expect(push.vapid.publicKey).toBe(vapid.publicKey);
      expect(push.vapid.subject).toBe(vapid.subject);
      const authorization = push.headers.authorization ?? "";
      expect(authorization).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/);
      const identity = await verifyVapidAuthorization(authorization, pushService);
      const now = Date.now() / 1000;
      expect(identity.expires).toBeGreaterThan(now);
      expect(identity.expires).toBeLessThanOrEqual(now + 24 * 60 * 60);
      await expect(verifyVapidAuthorization(authorization, "https://other.push.test")).rejects.toThrow(/aud/);
      await expect(verifyVapidAuthorization(authorization, pushService, identity.expires)).rejects.toThrow(/expired/);
    },
  );

  it("is refused by the push service when k is not the key that signed t", async () => {
    const vapid = await vapidKeys();
    const { target, path } = await subscribe();
    await send(target, { n: 1 }, vapid);
    const [push] = await receivedAt(path);
    if (!push) throw new Error("the push service kept nothing");
    const other = await generateVapidKeys();
    const forged = (push.headers.authorization ?? "").replace(/k=[\w-]+$/, `k=${other.publicKey}`);
    const response = await fetch(target.endpoint, {
      method: "POST",
      headers: { Authorization: forged, TTL: "60", "Content-Encoding": "aes128gcm" },
      body: push.body,
    });
    expect(response.status).toBe(401);
    expect(await response.text()).toMatch(/signature/);
    expect(await receivedAt(path)).toHaveLength(1);
  });

  it("uses a fresh salt and sender key for every message", async () => {
    const vapid = await vapidKeys();
    const { target, subscriber, path } = await subscribe();
    await send(target, { same: "payload" }, vapid);
    await send(target, { same: "payload" }, vapid);

    const [first, second] = await receivedAt(path);
    if (!first || !second) throw new Error("the push service did not keep both");
    expect(bytesToBase64Url(first.body)).not.toBe(bytesToBase64Url(second.body));
    const [a, b] = [parseAes128gcmHeader(first.body), parseAes128gcmHeader(second.body)];
    expect(bytesToBase64Url(a.salt)).not.toBe(bytesToBase64Url(b.salt));
    expect(bytesToBase64Url(a.senderPublicKey)).not.toBe(bytesToBase64Url(b.senderPublicKey));
    expect(await decryptPushPayload(first.body, subscriber)).toBe('{"same":"payload"}');
    expect(await decryptPushPayload(second.body, subscriber)).toBe('{"same":"payload"}');
  });

  it("reports 410 and 404 as gone, so the caller deletes the subscription", async () => {
    const vapid = await vapidKeys();
    const { target, path } = await subscribe();
    for (const status of [410, 404]) {
      await failNext(status);
      const outcome = await send(target, { n: 1 }, vapid);
      expect(outcome).toMatchObject({ ok: false, status, gone: true, retryable: false });
    }
    expect(await receivedAt(path)).toHaveLength(0);
  });

  it("reports 429 and 5xx as retryable, and other refusals as neither", async () => {
    const vapid = await vapidKeys();
    const { target } = await subscribe();
    for (const status of [429, 503, 500]) {
      await failNext(status);
      const outcome = await send(target, { n: 1 }, vapid);
      expect(outcome).toMatchObject({ ok: false, status, gone: false, retryable: true });
    }
    await failNext(400);
    const outcome = await send(target, { n: 1 }, vapid);
    expect(outcome).toMatchObject({ ok: false, status: 400, gone: false, retryable: false });
  });

  it("keeps only the status of a refusal, never what the push service wrote in its body", async () => {
    const vapid = await vapidKeys();
    const { target } = await subscribe();
    await failNext(500, 1, "INTERNAL-ONLY token=s3cr3t");
    const outcome = await send(target, { n: 1 }, vapid);
    expect(outcome).toEqual({
      ok: false,
      status: 500,
      gone: false,
      retryable: true,
      message: "Push service answered 500",
    });
  });

  it("does not follow a redirect: the 307 is a failure, and its target receives nothing", async () => {
    const vapid = await vapidKeys();
    const { target, path } = await subscribe();
    const elsewhere = `/push/${crypto.randomUUID()}`;
    const asked = await fetch(
      `${pushService}/__redirect-next?location=${encodeURIComponent(`${pushService}${elsewhere}`)}`,
      { method: "POST" },
    );
    expect(asked.status).toBe(204);
    const outcome = await send(target, { n: 1 }, vapid);
    expect(outcome).toMatchObject({ ok: false, status: 307, gone: false, retryable: false });
    if (!outcome.ok) expect(outcome.message).not.toContain(elsewhere);
    expect(await receivedAt(elsewhere)).toHaveLength(0);
    expect(await receivedAt(path)).toHaveLength(0);
  });

  it("reports a push service that hangs up without answering as retryable with status 0", async () => {
    const { target } = await subscribe();
    expect((await fetch(`${pushService}/__drop-next`, { method: "POST" })).status).toBe(204);
    const outcome = await send(target, { n: 1 }, await vapidKeys());
    expect(outcome).toEqual({
      ok: false,
      status: 0,
      gone: false,
      retryable: true,
      message: "Push service unreachable",
    });
  });
});

describe("sendWebPush refuses before sending", () => {
  it("a payload too large for one 4096-byte push, while the largest that fits goes through", async () => {
    const vapid = await vapidKeys();
    const { target, subscriber, path } = await subscribe();
    const fits = "x".repeat(MAX_PLAINTEXT_BYTES - 2);
    await expect(send(target, `${fits}y`, vapid)).rejects.toThrow(WebPushError);
    await expect(send(target, `${fits}y`, vapid)).rejects.toThrow(/3994 bytes; at most 3993/);
    expect(await receivedAt(path)).toHaveLength(0);

    expect(await send(target, fits, vapid)).toEqual({ ok: true, status: 201 });
    const [push] = await receivedAt(path);
    if (!push) throw new Error("the push service kept nothing");
    expect(push.body.length).toBe(4096);
    expect(await decryptPushPayload(push.body, subscriber)).toBe(JSON.stringify(fits));
  });

  it("an endpoint that is not a known push service's, checked again here and not only at subscription", async () => {
    const vapid = await vapidKeys();
    const { target, path } = await subscribe();
    const local = new URL(pushService);
    // The test push service itself, under every other spelling the seam does not name.
    const spellings = [
      `https://${local.host}${path}`,
      `http://localhost:${local.port}${path}`,
      `http://[::ffff:127.0.0.1]:${local.port}${path}`,
      `http://0.0.0.0:${local.port}${path}`,
    ];
    for (const endpoint of [...spellings, ...HOSTILE_PUSH_ENDPOINTS]) {
      await expect(send({ ...target, endpoint }, { n: 1 }, vapid), endpoint).rejects.toThrow(PushEndpointRefused);
    }
    // Without the seam, the test push service's own origin is refused like any other loopback address.
    await expect(sendWebPush(target, { n: 1 }, vapid)).rejects.toThrow(PushEndpointRefused);
    expect(await receivedAt(path)).toHaveLength(0);
  });

  it("subscription keys, VAPID keys and options that cannot make a valid push", async () => {
    const vapid = await vapidKeys();
    const { target } = await subscribe();
    const cases: [PushTarget, VapidKeys, Parameters<typeof sendWebPush>[3]][] = [
      [{ ...target, keys: { ...target.keys, p256dh: target.keys.p256dh.slice(4) } }, vapid, {}],
      [{ ...target, keys: { ...target.keys, auth: "c2hvcnQ" } }, vapid, {}],
      [target, { ...vapid, privateKey: "not*base64" }, {}],
      [target, { ...vapid, subject: "push@haven.test" }, {}],
      [target, vapid, { ttlSeconds: -1 }],
      [target, vapid, { topic: "has spaces" }],
    ];
    for (const [badTarget, badVapid, options] of cases) {
      await expect(send(badTarget, { n: 1 }, badVapid, options)).rejects.toThrow(WebPushError);
    }
    await expect(send(target, undefined, vapid)).rejects.toThrow(/JSON/);
  });
});

describe("generateVapidKeys", () => {
  it("gives an uncompressed P-256 point and a 32-byte scalar, base64url", async () => {
    const keys = await generateVapidKeys();
    const point = base64UrlToBytes(keys.publicKey);
    expect(point.length).toBe(65);
    expect(point[0]).toBe(0x04);
    expect(base64UrlToBytes(keys.privateKey).length).toBe(32);
    expect(keys.publicKey).toMatch(/^[\w-]+$/);
  });
});
