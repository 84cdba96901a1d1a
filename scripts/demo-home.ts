/**
 * The demo home `npm start` fills: the things a family owns and the maintenance they
 * keep up with, one task overdue and one done this month, so the dashboard has something
 * to say. Each command has a fixed key, so starting again changes nothing.
 */
import type { PropertyCommandArgs, PropertyCommandName } from "../schema/property/commands";
import { addDays, localDate } from "../schema/property/recurrence";

type Step = { [N in PropertyCommandName]: { name: N; args: PropertyCommandArgs<N> } }[PropertyCommandName];

/** First day of the month after `date`. */
function firstOfNextMonth(date: string): string {
  const [year, month] = date.split("-").map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, "0")}-01`;
}

export function demoHomeSteps(timeZone: string, now = Date.now()): Step[] {
  const today = localDate(now, timeZone);
  return [
    { name: "home.settings", args: { timeZone } },
    {
      name: "asset.create",
      args: {
        id: "demo-furnace",
        name: "Furnace",
        category: "hvac",
        location: "Basement",
        make: "Carrier",
        model: "59SC5",
        serialNumber: "2419A51234",
        purchaseDate: "2019-10-02",
        warrantyEnd: addDays(today, 45),
      },
    },
    {
      name: "asset.create",
      args: {
        id: "demo-water-heater",
        name: "Water heater",
        category: "plumbing",
        location: "Garage",
        make: "Rheem",
        model: "XG50T06EC36U1",
        purchaseDate: "2021-03-14",
        warrantyEnd: addDays(today, 365),
      },
    },
    {
      name: "asset.create",
      args: {
        id: "demo-smoke-alarms",
        name: "Smoke alarms",
        category: "electrical",
        location: "Every floor",
        make: "Kidde",
        notes: "Hallway, both bedrooms, basement stairs.",
      },
    },
    { name: "asset.create", args: { id: "demo-gutters", name: "Gutters", category: "roof", location: "Outside" } },
    {
      name: "asset.create",
      args: {
        id: "demo-fridge",
        name: "Refrigerator",
        category: "appliance",
        location: "Kitchen",
        make: "LG",
        model: "LRFXS2503S",
        purchaseDate: "2022-06-30",
        warrantyEnd: addDays(today, 200),
      },
    },
    {
      name: "asset.create",
      args: {
        id: "demo-mower",
        name: "Lawn mower",
        category: "garden",
        location: "Shed",
        make: "Honda",
        model: "HRN216",
      },
    },
    {
      name: "task.create",
      args: {
        id: "demo-furnace-filter",
        title: "Replace furnace filter",
        assetId: "demo-furnace",
        notes: "16x25x1 MERV 8; spares on the basement shelf.",
        schedule: { type: "after_completion", every: 3, unit: "month", start: addDays(today, -6) },
      },
    },
    {
      name: "task.create",
      args: {
        id: "demo-smoke-test",
        title: "Test smoke alarms",
        assetId: "demo-smoke-alarms",
        schedule: { type: "calendar", rrule: "FREQ=MONTHLY;BYMONTHDAY=1", start: firstOfNextMonth(today) },
      },
    },
    {
      name: "task.create",
      args: {
        id: "demo-gutters-clean",
        title: "Clean the gutters",
        assetId: "demo-gutters",
        leadDays: 7,
        schedule: { type: "calendar", rrule: "FREQ=YEARLY;BYMONTH=4,10;BYMONTHDAY=15", start: today },
      },
    },
    {
      name: "task.create",
      args: {
        id: "demo-water-heater-flush",
        title: "Flush the water heater",
        assetId: "demo-water-heater",
        leadDays: 3,
        schedule: { type: "calendar", rrule: "FREQ=YEARLY", start: addDays(today, 10) },
      },
    },
    {
      name: "task.create",
      args: {
        id: "demo-fridge-coils",
        title: "Vacuum fridge coils",
        assetId: "demo-fridge",
        schedule: { type: "after_completion", every: 6, unit: "month", start: addDays(today, -1) },
      },
    },
    {
      name: "task.complete",
      args: { id: "demo-fridge-coils", occurrence: addDays(today, -1), note: "Lots of dust behind the kick plate." },
    },
  ];
}
