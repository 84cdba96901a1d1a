/**
 * The Haven Worker: the HTTP app (worker/app.ts: the JSON API and the room WebSocket gate)
 * and the consumer of the jobs queue. The static client is served by the assets binding
 * before this code runs.
 */
import { app } from "./app";
import { queue } from "./queue";

export default { fetch: app.fetch, queue } satisfies ExportedHandler<Env>;

export * from "./kinds";
export { UserHub } from "./notify/UserHub";
export { RateLimiter } from "./rate-limit/RateLimiter";
