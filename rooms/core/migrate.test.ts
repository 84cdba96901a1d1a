import { describe, expect, it } from "vitest";
import { checkMigrationHistory, MigrationHistoryError, type RoomMigrations } from "./migrate";

const journal = (...whens: number[]): RoomMigrations["journal"] => ({
  entries: whens.map((when, idx) => ({ idx, when, tag: `000${idx}_step`, breakpoints: true })),
});

describe("checkMigrationHistory", () => {
  it("accepts a room that applied nothing, some or all of the journal, in order", () => {
    expect(() => checkMigrationHistory([], journal(10, 20, 30))).not.toThrow();
    expect(() => checkMigrationHistory([10, 20], journal(10, 20, 30))).not.toThrow();
    expect(() => checkMigrationHistory([10, 20, 30], journal(10, 20, 30))).not.toThrow();
  });

  it("refuses a room that applied a migration the journal does not have at that place", () => {
    expect(() => checkMigrationHistory([10, 25], journal(10, 20, 30))).toThrow(MigrationHistoryError);
    expect(() => checkMigrationHistory([10, 25], journal(10, 20, 30))).toThrow(/diverges at room #1/);
  });

  it("refuses a room that applied more migrations than the code knows", () => {
    expect(() => checkMigrationHistory([10, 20, 30, 40], journal(10, 20, 30))).toThrow(/newer or different Haven/);
  });

  it("refuses a journal with an entry older than the one before it, which drizzle would skip", () => {
    expect(() => checkMigrationHistory([10], journal(10, 30, 20))).toThrow(/out of order/);
  });
});
