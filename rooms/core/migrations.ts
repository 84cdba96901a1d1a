/** The shape of a drizzle-kit generated `migrations.js`, which each room kind passes to the base. */
export interface RoomMigrations {
  journal: { entries: { idx: number; when: number; tag: string; breakpoints: boolean }[] };
  migrations: Record<string, string>;
}
