import { describe, expect, it } from "vitest";
import apiDoc from "../../docs/api.md?raw";
import { ERROR_CODES, ERROR_STATUS } from "./errors";

/** The statuses ARCHITECTURE.md allows an error to carry, plus 415 and 426 for the two transport refusals. */
const STATUSES = new Set([400, 401, 403, 404, 409, 410, 413, 415, 426, 429, 500, 503]);

describe("the one union of error codes", () => {
  it("is listed, each code with its status, in docs/api.md", () => {
    const documented = new Map<string, number>();
    for (const [, status, code] of apiDoc.matchAll(/^\|\s*(\d{3})\s*\|\s*`([a-z_]+)`\s*\|/gm)) {
      documented.set(code as string, Number(status));
    }
    for (const code of ERROR_CODES) expect([code, documented.get(code)]).toEqual([code, ERROR_STATUS[code]]);
    expect([...documented.keys()].sort()).toEqual([...ERROR_CODES].sort());
  });

  it("carries only statuses the architecture allows", () => {
    for (const code of ERROR_CODES) expect([code, STATUSES.has(ERROR_STATUS[code])]).toEqual([code, true]);
  });
});
