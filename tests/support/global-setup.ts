/**
 * Node-side setup for the workerd suite: starts the test push service, which workerd code reaches over
 * 127.0.0.1, and gives its origin to the tests as inject("pushEndpointUrl").
 */
import type { TestProject } from "vitest/node";
import { startPushEndpoint } from "./push-endpoint";
import "./provided-context";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // vitest.config.ts chose the port and told the Worker its origin (the PUSH_TEST_ORIGIN binding).
  const endpoint = await startPushEndpoint(Number(process.env.HAVEN_TEST_PUSH_PORT ?? "0"));
  project.provide("pushEndpointUrl", endpoint.url);
  return () => endpoint.close();
}
