/**
 * A site's layout and live state, as the room mirrors it into server-owned roots of its
 * document (`areas`, `units`): every open board sees a unit's latest reading the moment
 * the room stores it. Readings themselves stay in the room's SQLite.
 */

export const UNIT_KINDS = ["fridge", "freezer", "display_case", "walk_in_cooler", "walk_in_freezer", "blast_chiller"] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export interface Area {
  id: string;
  name: string;
}

export interface LatestReading {
  at: number;
  temperature: number | null;
  humidity: number | null;
  battery: number | null;
  doorOpen: boolean | null;
  devEui: string;
}

export interface Unit {
  id: string;
  areaId: string;
  name: string;
  kind: UnitKind;
  /** DevEUIs of the unit's sensors. */
  devices: string[];
  latest: LatestReading | null;
}

export const SITE_SERVER_ROOTS = ["areas", "units"] as const;
