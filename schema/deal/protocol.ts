/** A deal has no commands or jobs of its own yet. */
import type { KindProtocol } from "../core/kind";

export const dealProtocol = { commands: {}, jobs: {} } as const satisfies KindProtocol;
