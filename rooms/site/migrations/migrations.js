import m0000 from "./0000_ydoc_store.sql";
import m0001 from "./0001_ydoc_quarantine.sql";
import m0002 from "./0002_commands_schedule.sql";
import m0003 from "./0003_job_failures.sql";
import m0004 from "./0004_layout_sensors_readings.sql";
import m0005 from "./0005_alerts.sql";
import m0006 from "./0006_alert_names.sql";
import m0007 from "./0007_device_unit_index.sql";
import m0008 from "./0008_uplink_time_unclaimed_cap.sql";
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
    m0007,
    m0008,
  },
};
