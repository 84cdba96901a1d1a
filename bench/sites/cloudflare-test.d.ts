/**
 * What in-process.bench-test.ts uses of `cloudflare:test`, for the Node typecheck
 * (tsconfig.node.json takes in all of bench/, without the Workers types). In workerd the
 * real module is used; `npx tsc -p bench/sites/tsconfig.workerd.json` checks the file
 * against the real Workers and vitest-pool-workers types instead.
 */
declare module "cloudflare:test" {
  interface SqlCursor {
    one(): Record<string, unknown>;
  }
  interface BenchSiteStub {
    readonly id: unknown;
  }
  interface BenchState {
    storage: { sql: { exec(query: string, ...bindings: unknown[]): SqlCursor } };
  }
  export const env: { site: { idFromName(name: string): unknown; get(id: unknown): BenchSiteStub } };
  export const SELF: { fetch(input: string, init?: RequestInit): Promise<Response> };
  export function runInDurableObject<R>(
    stub: BenchSiteStub,
    callback: (instance: unknown, state: BenchState) => R | Promise<R>,
  ): Promise<R>;
  export function abortAllDurableObjects(): Promise<void>;
}
