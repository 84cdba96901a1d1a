import m0000 from "./0000_deal_records.sql";
import m0001 from "./0001_deal_documents.sql";
import journal from "./meta/_journal.json";

export default {
  journal,
  migrations: {
    m0000,
    m0001,
  },
};
