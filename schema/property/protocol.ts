/** What a home's rooms accept beyond the document: its commands and its scheduled jobs. */
import type { KindProtocol } from "../core/kind";
import { propertyCommands } from "./commands";
import { propertyJobs } from "./jobs";

export const propertyProtocol = { commands: propertyCommands, jobs: propertyJobs } as const satisfies KindProtocol;
