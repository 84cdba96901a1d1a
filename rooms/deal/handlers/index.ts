/** Every command of a deal room, by name: the engine (rooms/core/commands.ts) runs them. */
import type { CommandTable } from "../../core/commands";
import { DEAL_RECORD_COMMANDS } from "./deal";
import { DEAL_DEPENDENCY_COMMANDS } from "./dependencies";
import { DEAL_TASK_COMMANDS } from "./tasks";

export const DEAL_COMMANDS: CommandTable = {
  ...DEAL_RECORD_COMMANDS,
  ...DEAL_TASK_COMMANDS,
  ...DEAL_DEPENDENCY_COMMANDS,
};
