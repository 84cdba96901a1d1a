import m0000 from "./0000_baseline.sql";
import m0001 from "./0001_feed_maker.sql";
import m0002 from "./0002_asset_documents_costs.sql";
import m0003 from "./0003_completion_before.sql";
import m0004 from "./0004_inbox.sql";
import m0005 from "./0005_verified_chores.sql";
import m0006 from "./0006_transcription.sql";
import journal from "./meta/_journal.json";

export default {
  journal,
  migrations: {
    m0000,
    m0001,
    m0002,
    m0003,
    m0004,
    m0005,
    m0006,
  },
};
