// A deal room has no tables of its own yet: its track is empty. drizzle-kit writes this file anew
// (`npm run db:generate`) once rooms/deal/tables.ts exists and rooms/deal/drizzle.config.ts points at it.
export default { journal: { entries: [] }, migrations: {} };
