/** What a deal room accepts beyond the document: its commands and its scheduled jobs. */
import type { KindProtocol } from "../core/kind";
import { dealCommands } from "./commands";
import { documentCommands } from "./document-commands";
import { dealJobs } from "./jobs";

export const dealProtocol = {
  commands: { ...dealCommands, ...documentCommands },
  jobs: dealJobs,
} as const satisfies KindProtocol;
