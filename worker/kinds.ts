/**
 * The server side of every room kind, one line each: its Durable Object class (exported
 * by worker/index.ts under the name wrangler.toml binds) and the HTTP routes it adds under
 * `/api`. Core iterates these and names no kind itself.
 */
import type { RoomKind } from "../schema/core/roles";
import { dealAuditRoutes } from "./routes/deal-audit";
import { dealDocumentRoutes } from "./routes/deal-documents";
import { dealTemplateRoutes } from "./routes/deal-templates";
import { dealViewRoutes } from "./routes/deal-views";
import type { RouteDef } from "./routes/define";
import { assetDocumentRoutes } from "./routes/property/asset-documents";
import { calendarFeedRoutes } from "./routes/property/calendar-feed";
import { captureRoutes } from "./routes/property/captures";
import { taskHistoryRoutes } from "./routes/property/task-history";
import { siteIngestRoutes } from "./routes/site/ingest";
import { siteRecordRoutes } from "./routes/site/records";

export { DealRoom } from "../rooms/deal/DealRoom";
export { PropertyRoom } from "../rooms/property/PropertyRoom";
export { SiteRoom } from "../rooms/site/SiteRoom";

/**
 * The route definitions each kind adds (worker/routes/<kind>/), mounted and described after
 * core's command routes (worker/app.ts). The default
 * export, because worker/index.ts re-exports this module's named exports to workerd, which
 * takes each one for a Durable Object class or an entrypoint.
 */
const kindRoutes: Readonly<Record<RoomKind, readonly RouteDef[]>> = {
  property: [...taskHistoryRoutes, ...calendarFeedRoutes, ...assetDocumentRoutes, ...captureRoutes],
  deal: [...dealViewRoutes, ...dealTemplateRoutes, ...dealDocumentRoutes, ...dealAuditRoutes],
  site: [...siteIngestRoutes, ...siteRecordRoutes],
};
export default kindRoutes;
