/** What a site's rooms accept beyond the document: its commands and its scheduled jobs. */
import type { KindProtocol } from "../core/kind";
import { siteCommands } from "./commands";
import { siteJobs } from "./jobs";

export const siteProtocol = { commands: siteCommands, jobs: siteJobs } as const satisfies KindProtocol;
