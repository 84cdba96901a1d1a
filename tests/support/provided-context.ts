/**
 * Values tests/support/global-setup.ts hands to test files through vitest's provide/inject; a module of
 * its own so both the Node setup and the workerd tests see the same key names and types.
 */
declare module "vitest" {
  export interface ProvidedContext {
    /** Origin of the test push service (tests/support/push-endpoint.ts), e.g. http://127.0.0.1:43210. */
    pushEndpointUrl: string;
  }
}

export {};
