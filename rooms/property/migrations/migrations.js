import m0000 from "./0000_ydoc_store.sql";
import m0001 from "./0001_ydoc_quarantine.sql";
import m0002 from "./0002_records_commands_schedule.sql";
import m0003 from "./0003_job_failures.sql";
import m0004 from "./0004_feed_maker.sql";
import journal from "./meta/_journal.json";

export default {
  journal,
  migrations: {
    m0000,
    m0001,
    m0002,
    m0003,
    m0004,
  },
};
