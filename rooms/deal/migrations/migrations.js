import m0000 from "./0000_deal_records.sql";
import m0001 from "./0001_flat_tinkerer.sql";
import m0002 from "./0002_overrated_orphan.sql";
import journal from "./meta/_journal.json";

export default {
  journal,
  migrations: {
    m0000,
    m0001,
    m0002,
  },
};
