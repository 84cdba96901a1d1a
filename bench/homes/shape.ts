/** The benchmark home: 500 assets and 2,000 tasks in realistic proportions, as commands. */
import { ASSET_CATEGORIES } from "../../schema/property/records";
import { addDays } from "../../schema/property/recurrence";

export const ASSETS = 500;
export const TASKS = 2_000;

export interface Command {
  name: string;
  args: Record<string, unknown>;
}

const RULES = [
  "FREQ=MONTHLY;BYMONTHDAY=1",
  "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1",
  "FREQ=YEARLY;BYMONTH=4,10;BYMONTHDAY=15",
  "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA",
  "FREQ=YEARLY",
];

/** Every command that builds the home; ids are fixed so tasks can name their assets. */
export function homeCommands(today: string): Command[] {
  const commands: Command[] = [];
  for (let i = 0; i < ASSETS; i++) {
    commands.push({
      name: "asset.create",
      args: {
        id: `asset-${i}`,
        name: `Asset ${i}`,
        category: ASSET_CATEGORIES[i % ASSET_CATEGORIES.length],
        location: ["Basement", "Kitchen", "Garage", "Attic", "Garden"][i % 5],
        make: "Acme",
        model: `M-${i}`,
        serialNumber: `SN${100000 + i}`,
        warrantyEnd: addDays(today, (i * 7) % 900),
        notes: "Bought with the house; manual in the blue folder.",
      },
    });
  }
  for (let i = 0; i < TASKS; i++) {
    const kind = i % 4;
    const schedule =
      kind === 0
        ? { type: "calendar", rrule: RULES[i % RULES.length], start: addDays(today, (i % 60) - 20) }
        : kind === 1
          ? { type: "after_completion", every: 1 + (i % 6), unit: "month", start: addDays(today, (i % 90) - 30) }
          : kind === 2
            ? { type: "once", date: addDays(today, (i % 120) - 10) }
            : { type: "after_completion", every: 2, unit: "week", start: addDays(today, i % 14) };
    commands.push({
      name: "task.create",
      args: {
        id: `task-${i}`,
        title: `Maintenance task ${i}`,
        assetId: `asset-${i % ASSETS}`,
        notes: "Check, clean, note anything odd.",
        schedule,
      },
    });
  }
  return commands;
}
