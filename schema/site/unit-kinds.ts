/** The kinds of unit a site holds; each kind has its own default rules (rules.ts). */
export const UNIT_KINDS = [
  "fridge",
  "freezer",
  "display_case",
  "walk_in_cooler",
  "walk_in_freezer",
  "blast_chiller",
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
