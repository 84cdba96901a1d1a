/** The guard's refusal of an update that builds on changes the document never received says which ones. */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { UpdateGuard } from "./doc-guard";

describe("an update that builds on changes never received", () => {
  it("is refused, naming the client and clock it waits for and how far the document has it", () => {
    const room = new Y.Doc();
    const guard = new UpdateGuard(room, () => null);
    const client = new Y.Doc();
    client.clientID = 7;
    client.getArray("lists").insert(0, ["first"]);
    const seen = Y.encodeStateVector(client);
    client.getArray("lists").insert(1, ["x".repeat(70_000)]);
    const result = guard.apply(Y.encodeStateAsUpdate(client, seen));
    expect(result).toMatchObject({ ok: false, reason: "missing_dependencies" });
    expect(result.ok ? "" : result.detail).toMatch(/waiting for client 7 from \d+ \(has 0\)$/);
  });
});
