import { describe, expect, it } from "vitest";
import { HOSTILE_PUSH_ENDPOINTS } from "../../tests/worker/notify/hostile-endpoints";
import { pushEndpointProblem } from "./push-endpoint";

describe("pushEndpointProblem", () => {
  it("accepts the endpoints today's browsers hand out", () => {
    for (const endpoint of [
      "https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ:APA91bE",
      "https://fcm.googleapis.com:443/wp/abc",
      "https://updates.push.services.mozilla.com/wpush/v2/gAAAAAB",
      "https://web.push.apple.com/QGuQyavXutnMH9x",
      "https://wns2-by3p.notify.windows.com/w/?token=BQYAAAB",
      "HTTPS://FCM.GOOGLEAPIS.COM/fcm/send/x",
    ]) {
      expect(pushEndpointProblem(endpoint), endpoint).toBeNull();
    }
  });

  it("refuses http, IP literals in every spelling, user info, other ports and hosts off the list", () => {
    for (const endpoint of HOSTILE_PUSH_ENDPOINTS) {
      expect(pushEndpointProblem(endpoint), endpoint).not.toBeNull();
    }
  });

  it("lets the test push service's exact origin through only when the test seam names it", () => {
    const origin = "http://127.0.0.1:43210";
    expect(pushEndpointProblem(`${origin}/push/a`)).not.toBeNull();
    expect(pushEndpointProblem(`${origin}/push/a`, origin)).toBeNull();
    expect(pushEndpointProblem("http://127.0.0.1:43211/push/a", origin)).not.toBeNull();
    expect(pushEndpointProblem("https://127.0.0.1:43210/push/a", origin)).not.toBeNull();
    expect(pushEndpointProblem("http://a:b@127.0.0.1:43210/push/a", origin)).not.toBeNull();
  });
});
