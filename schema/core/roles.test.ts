import { describe, expect, it } from "vitest";
import { can, invitableRoles, inviterRolesFor, isRoleOf, KIND_ROLES, mayGrant, ROOM_KINDS } from "./roles";

describe("roles", () => {
  it("gives every room kind the four base roles", () => {
    for (const kind of ROOM_KINDS)
      expect(Object.keys(KIND_ROLES[kind])).toEqual(expect.arrayContaining(["owner", "admin", "editor", "viewer"]));
  });

  it("lets viewers read only", () => {
    expect(can("property", "viewer", "room.read")).toBe(true);
    expect(can("property", "viewer", "doc.write")).toBe(false);
    expect(can("deal", "editor", "doc.write")).toBe(true);
    expect(can("deal", "editor", "members.invite")).toBe(false);
  });

  it("knows nothing of roles a kind does not define", () => {
    expect(isRoleOf("site", "buyer")).toBe(false);
    expect(can("site", "buyer", "room.read")).toBe(false);
    expect(isRoleOf("site", "toString")).toBe(false);
  });

  it("never lets anyone grant a capability they lack", () => {
    expect(mayGrant("property", "owner", "owner")).toBe(true);
    expect(mayGrant("property", "admin", "owner")).toBe(false);
    expect(mayGrant("property", "admin", "admin")).toBe(true);
    expect(mayGrant("property", "editor", "viewer")).toBe(true);
    expect(mayGrant("property", "viewer", "editor")).toBe(false);
    expect(mayGrant("property", "owner", "emperor")).toBe(false);
  });

  it("lets only holders of members.invite invite, and only as roles they could grant", () => {
    expect(invitableRoles("property", "owner")).toEqual(["owner", "admin", "editor", "viewer", "member"]);
    expect(invitableRoles("property", "admin")).toEqual(["admin", "editor", "viewer", "member"]);
    expect(can("property", "member", "tasks.complete_own")).toBe(true);
    expect(can("property", "member", "doc.write")).toBe(false);
    expect(invitableRoles("property", "editor")).toEqual([]);
    expect(invitableRoles("property", "emperor")).toEqual([]);
    expect(inviterRolesFor("deal", "owner")).toEqual(["owner"]);
    expect(inviterRolesFor("deal", "viewer")).toEqual(["owner", "admin", "transaction_coordinator"]);
    expect(inviterRolesFor("deal", "buyer")).toEqual(["owner", "admin", "transaction_coordinator"]);
    expect(invitableRoles("deal", "transaction_coordinator")).toEqual([
      "transaction_coordinator",
      "buyer_agent",
      "buyer",
      "editor",
      "viewer",
    ]);
    expect(invitableRoles("deal", "buyer_agent")).toEqual([]);
    expect(invitableRoles("deal", "buyer")).toEqual([]);
    expect(inviterRolesFor("deal", "emperor")).toEqual([]);
  });
});
