import m0000 from "./0000_deal_records.sql";
import m0001 from "./0001_deal_documents.sql";
import m0002 from "./0002_deal_audit.sql";
import journal from "./meta/_journal.json";

export default {
  journal,
  migrations: {
    m0000,
    m0001,
    m0002,
  },
};
