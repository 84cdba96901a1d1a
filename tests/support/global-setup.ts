/**
 * Node-side setup for the workerd suite: starts the test push service, which workerd code reaches over
 * 127.0.0.1, and gives its origin to the tests as inject("pushEndpointUrl").
 */
import type { TestProject } from "vitest/node";
import { startPushEndpoint } from "./push-endpoint";
import "./provided-context";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const endpoint = await startPushEndpoint();
  project.provide("pushEndpointUrl", endpoint.url);
  return () => endpoint.close();
}
