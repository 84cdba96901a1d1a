import { describe, expect, it } from "vitest";
import { KIND_ROLES } from "../core/roles";
import { canSee, DATA_CLASSES, type DataClass, projectForRole, sharedTasksOf, visibleTo } from "./classes";

/** Who sees what: every deal role against every class. */
const EXPECTED: Record<string, Record<DataClass, boolean>> = {
  owner: { public: true, internal: true, confidential: true, restricted: true },
  admin: { public: true, internal: true, confidential: true, restricted: true },
  transaction_coordinator: { public: true, internal: true, confidential: true, restricted: false },
  buyer_agent: { public: true, internal: true, confidential: true, restricted: false },
  buyer: { public: true, internal: false, confidential: true, restricted: false },
  editor: { public: true, internal: false, confidential: false, restricted: false },
  viewer: { public: true, internal: false, confidential: false, restricted: false },
};

const deal = {
  id: "deal-1",
  address: "12 Elm St",
  status: "active",
  purchasePrice: 412_000,
  financing: { lender: "Harbour Bank", rate: "6.125%" },
  commission: { percent: "2.5%", memo: "split-with-listing-ZQX" },
  secretUnknownField: "never-declared-QWV",
};
const sharedTask = { id: "t-shared", title: "Sign inspection", state: "PENDING", sharedWithBuyer: true, notes: "n-1" };
const hiddenTask = {
  id: "t-hidden-KJH",
  title: "Chase appraiser-PLM",
  state: "BLOCKED",
  sharedWithBuyer: false,
  description: "lowball strategy-RTY",
};

describe("deal data classes", () => {
  it("answers every role × class cell from capabilities", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(KIND_ROLES.deal).sort());
    for (const [role, row] of Object.entries(EXPECTED))
      for (const dataClass of DATA_CLASSES)
        expect(canSee(role, dataClass), `${role} × ${dataClass}`).toBe(row[dataClass]);
    for (const dataClass of DATA_CLASSES) expect(canSee("emperor", dataClass)).toBe(false);
  });

  it("removes what a buyer may not see: absent, not null, nested values included", () => {
    const projected = projectForRole(deal, "deal", "buyer");
    expect(projected).toEqual({
      id: "deal-1",
      address: "12 Elm St",
      status: "active",
      purchasePrice: 412_000,
      financing: deal.financing,
    });
    expect(projected && "commission" in projected).toBe(false);
    const json = JSON.stringify(visibleTo("buyer")([deal], "deal"));
    for (const internal of ["2.5%", "split-with-listing-ZQX", "never-declared-QWV", "commission"])
      expect(json).not.toContain(internal);
    expect(JSON.stringify(projectForRole(deal, "deal", "viewer"))).not.toContain("Harbour Bank");
  });

  it("lets a buyer see shared tasks only: unshared ones vanish whole", () => {
    const tasks = [sharedTask, hiddenTask];
    const forBuyer = visibleTo("buyer", sharedTasksOf(tasks))(tasks, "task");
    expect(forBuyer).toEqual([{ id: "t-shared", title: "Sign inspection", state: "PENDING", sharedWithBuyer: true }]);
    const json = JSON.stringify(forBuyer);
    for (const internal of ["t-hidden-KJH", "appraiser-PLM", "strategy-RTY", "n-1"])
      expect(json).not.toContain(internal);
    expect(projectForRole(hiddenTask, "task", "buyer")).toBeNull();
    expect(visibleTo("buyer_agent")(tasks, "task")).toHaveLength(2);
  });

  it("flips visibility when a task is shared, then un-shared", () => {
    const reShared = { ...hiddenTask, sharedWithBuyer: true };
    expect(JSON.stringify(projectForRole(reShared, "task", "buyer"))).toContain("strategy-RTY");
    const unShared = { ...reShared, sharedWithBuyer: false };
    expect(projectForRole(unShared, "task", "buyer")).toBeNull();
    expect(JSON.stringify(visibleTo("buyer")([unShared], "task"))).not.toContain("strategy-RTY");
  });

  it("shows a document by its task's sharing, and a confidential one only to who sees confidential", () => {
    const tasks = [sharedTask, hiddenTask];
    const docs = [
      { id: "d-1", taskId: "t-shared", name: "inspection.pdf" },
      { id: "d-2", taskId: "t-shared", name: "preapproval-VBN.pdf", confidential: true },
      { id: "d-3", taskId: "t-hidden-KJH", name: "memo-XCV.pdf" },
    ];
    const context = sharedTasksOf(tasks);
    expect(visibleTo("buyer", context)(docs, "document").map((d) => d.id)).toEqual(["d-1", "d-2"]);
    expect(visibleTo("viewer", context)(docs, "document").map((d) => d.id)).toEqual(["d-1"]);
    expect(visibleTo("buyer_agent", context)(docs, "document")).toHaveLength(3);
    expect(visibleTo("buyer")(docs, "document")).toEqual([]);
  });

  it("keeps who created a shared task from the buyer, and shows it to the team", () => {
    const made = { ...sharedTask, createdBy: "u-agent-RTY" };
    expect(projectForRole(made, "task", "buyer")).not.toHaveProperty("createdBy");
    expect(projectForRole(made, "task", "buyer")).toHaveProperty("title", "Sign inspection");
    expect(projectForRole(made, "task", "buyer_agent")).toHaveProperty("createdBy", "u-agent-RTY");
  });

  it("keeps notes internal and the audit log for export holders", () => {
    const note = { id: "n-9", body: "seller is motivated-HJK", author: "u-agent" };
    const entry = {
      seq: 1,
      id: "a-1",
      actor: "u-1",
      actorName: "Cole",
      subject: "task:t-1",
      summary: "Sign inspection",
      changes: { before: 1, after: 2 },
      hash: "ab",
    };
    const feed = { id: "a-1", seq: 1, at: 5, actorName: "Cole", role: "admin", command: "x", summary: "Sign" };
    expect(projectForRole(note, "note", "buyer")).toBeNull();
    expect(projectForRole(note, "note", "transaction_coordinator")).toEqual(note);
    expect(projectForRole(entry, "audit", "transaction_coordinator")).toBeNull();
    expect(projectForRole(entry, "audit", "admin")).toEqual(entry);
    expect(projectForRole(entry, "audit", "owner")).toEqual(entry);
    // The activity feed shows the team part of each entry in words; a buyer, editor or viewer sees none of it.
    expect(projectForRole(feed, "activity", "buyer_agent")).toEqual(feed);
    for (const role of ["buyer", "editor", "viewer"]) expect(projectForRole(feed, "activity", role)).toBeNull();
  });

  it("fails closed: unknown roles, undeclared or inherited field names, a flag that is not true", () => {
    expect(projectForRole(deal, "deal", "emperor")).toBeNull();
    expect(visibleTo("toString")([deal], "deal")).toEqual([]);
    const odd = JSON.parse('{"id":"deal-2","__proto__":{"polluted":"PROTO-ZZ"},"toString":"TS-ZZ","address":"1 A St"}');
    const projected = projectForRole(odd, "deal", "owner");
    expect(projected).toEqual({ id: "deal-2", address: "1 A St" });
    expect(JSON.stringify(projected)).not.toContain("ZZ");
    expect(projectForRole({ ...sharedTask, sharedWithBuyer: "true" }, "task", "buyer")).toBeNull();
  });
});
