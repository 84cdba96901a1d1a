import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import {
  addDays,
  DUE_HOUR_LOCAL,
  describeSchedule,
  dueInstant,
  firstDue,
  isoDate,
  isTimeZone,
  localDate,
  nextDue,
  type Schedule,
  scheduleError,
  scheduleSchema,
  upcomingDates,
} from "./recurrence";

const NY = "America/New_York";
const LONDON = "Europe/London";

function calendar(rrule: string, start = "2027-01-01"): Schedule {
  return { type: "calendar", rrule, start };
}

/** The next `n` due dates, each one after the previous, as the app walks a schedule. */
function walk(schedule: Schedule, n: number, timeZone = NY): string[] {
  const dates: string[] = [];
  let due = firstDue(schedule, timeZone);
  while (due !== null && dates.length < n) {
    dates.push(due);
    due = nextDue(schedule, timeZone, { after: due });
  }
  return dates;
}

/** ISO weekday, 1 = Monday ... 7 = Sunday. */
function weekday(date: string): number {
  return Temporal.PlainDate.from(date).dayOfWeek;
}

function localTime(epochMs: number, timeZone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(epochMs)
    .toZonedDateTimeISO(timeZone)
    .toPlainTime()
    .toString({ smallestUnit: "minute" });
}

describe("calendar schedules", () => {
  it("repeats every 3 months on the 1st", () => {
    const schedule = calendar("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1");
    expect(walk(schedule, 5)).toEqual(["2027-01-01", "2027-04-01", "2027-07-01", "2027-10-01", "2028-01-01"]);
    expect(firstDue(calendar("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", "2027-01-15"), NY)).toBe("2027-04-01");
  });

  it("repeats every year on October 15", () => {
    const schedule = calendar("FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=15", "2027-03-01");
    expect(walk(schedule, 3)).toEqual(["2027-10-15", "2028-10-15", "2029-10-15"]);
    expect(firstDue(calendar("FREQ=YEARLY", "2027-10-15"), NY)).toBe("2027-10-15");
    expect(nextDue(calendar("FREQ=YEARLY", "2027-10-15"), NY, { after: "2027-10-15" })).toBe("2028-10-15");
  });

  it("repeats every other Saturday", () => {
    const dates = walk(calendar("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA"), 6);
    expect(dates).toEqual(["2027-01-02", "2027-01-16", "2027-01-30", "2027-02-13", "2027-02-27", "2027-03-13"]);
    for (const date of dates) expect(weekday(date)).toBe(6);
  });

  it("falls on the 31st only in months that have one", () => {
    const schedule = calendar("FREQ=MONTHLY;BYMONTHDAY=31");
    expect(walk(schedule, 5)).toEqual(["2027-01-31", "2027-03-31", "2027-05-31", "2027-07-31", "2027-08-31"]);
    expect(nextDue(schedule, NY, { after: "2027-01-31", completedOn: "2027-02-02" })).toBe("2027-03-31");
    expect(walk(calendar("FREQ=MONTHLY", "2027-01-31"), 3)).toEqual(["2027-01-31", "2027-03-31", "2027-05-31"]);
  });

  it("takes BYMONTHDAY=-1 as the last day of every month, Feb 28 or 29", () => {
    expect(walk(calendar("FREQ=MONTHLY;BYMONTHDAY=-1"), 3)).toEqual(["2027-01-31", "2027-02-28", "2027-03-31"]);
    expect(walk(calendar("FREQ=MONTHLY;BYMONTHDAY=-1", "2028-02-01"), 2)).toEqual(["2028-02-29", "2028-03-31"]);
  });

  it("falls on a yearly February 29 only in leap years", () => {
    const schedule = calendar("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29");
    expect(firstDue(schedule, NY)).toBe("2028-02-29");
    expect(nextDue(schedule, NY, { after: "2028-02-29" })).toBe("2032-02-29");
    expect(nextDue(schedule, NY, { after: "2096-02-29" })).toBe("2104-02-29");
  });

  it("gives the first date strictly after `after`, from any day", () => {
    const schedule = calendar("FREQ=WEEKLY;BYDAY=MO");
    expect(nextDue(schedule, NY, { after: "2027-01-04" })).toBe("2027-01-11");
    expect(nextDue(schedule, NY, { after: "2027-01-06" })).toBe("2027-01-11");
    expect(nextDue(schedule, NY, { after: "2026-06-01" })).toBe("2027-01-04");
  });

  it("ends with COUNT and UNTIL, UNTIL as a date being inclusive", () => {
    const counted = calendar("FREQ=MONTHLY;COUNT=2;BYMONTHDAY=1");
    expect(walk(counted, 5)).toEqual(["2027-01-01", "2027-02-01"]);
    expect(nextDue(counted, NY, { after: "2027-02-01" })).toBeNull();
    expect(walk(calendar("FREQ=WEEKLY;UNTIL=20270115"), 5)).toEqual(["2027-01-01", "2027-01-08", "2027-01-15"]);
  });

  it("reads rule names in any case", () => {
    expect(walk(calendar("freq=weekly;byday=sa"), 2)).toEqual(["2027-01-02", "2027-01-09"]);
  });

  it("says a rule that never occurs has no due date, without searching forever", () => {
    expect(firstDue(calendar("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"), NY)).toBeNull();
    expect(firstDue(calendar("FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31"), NY)).toBeNull();
  });

  it("lists the dates in a window for a feed, up to the limit", () => {
    const daily = calendar("FREQ=DAILY");
    expect(upcomingDates(daily, NY, "2027-06-01", "2027-06-30", 3)).toEqual(["2027-06-01", "2027-06-02", "2027-06-03"]);
    expect(upcomingDates(daily, NY, "2026-12-30", "2027-01-02", 10)).toEqual(["2027-01-01", "2027-01-02"]);
    expect(upcomingDates(daily, NY, "2027-06-01", "2027-06-30", 0)).toEqual([]);
    expect(upcomingDates(calendar("FREQ=MONTHLY;BYMONTHDAY=15"), NY, "2027-01-01", "2027-12-31", 100)).toHaveLength(12);
    expect(upcomingDates(calendar("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"), NY, "2027-01-01", "2047-01-01", 5)).toEqual(
      [],
    );
  });

  it("keeps a weekly rule on its weekday at 09:00 local across daylight-saving changes", () => {
    const ny = upcomingDates(calendar("FREQ=WEEKLY;BYDAY=SU", "2027-03-01"), NY, "2027-03-01", "2027-03-31", 10);
    expect(ny).toEqual(["2027-03-07", "2027-03-14", "2027-03-21", "2027-03-28"]);
    expect(ny.map((date) => new Date(dueInstant(date, NY)).toISOString())).toEqual([
      "2027-03-07T14:00:00.000Z",
      "2027-03-14T13:00:00.000Z",
      "2027-03-21T13:00:00.000Z",
      "2027-03-28T13:00:00.000Z",
    ]);
    const london = upcomingDates(
      calendar("FREQ=WEEKLY;BYDAY=SU", "2027-10-01"),
      LONDON,
      "2027-10-01",
      "2027-11-15",
      10,
    );
    expect(london).toEqual([
      "2027-10-03",
      "2027-10-10",
      "2027-10-17",
      "2027-10-24",
      "2027-10-31",
      "2027-11-07",
      "2027-11-14",
    ]);
    for (const date of [...ny, ...london]) expect(weekday(date)).toBe(7);
    for (const date of london) expect(localTime(dueInstant(date, LONDON), LONDON)).toBe("09:00");
    expect(new Date(dueInstant("2027-10-24", LONDON)).toISOString()).toBe("2027-10-24T08:00:00.000Z");
    expect(new Date(dueInstant("2027-10-31", LONDON)).toISOString()).toBe("2027-10-31T09:00:00.000Z");
  });
});

describe("after-completion schedules", () => {
  const every = (n: number, unit: "day" | "week" | "month" | "year"): Schedule => ({
    type: "after_completion",
    every: n,
    unit,
    start: "2027-01-10",
  });

  it("is first due on its start", () => {
    expect(firstDue(every(30, "day"), NY)).toBe("2027-01-10");
  });

  it("adds days and weeks to the day it was done", () => {
    expect(nextDue(every(30, "day"), NY, { after: "2027-01-10", completedOn: "2027-01-12" })).toBe("2027-02-11");
    expect(nextDue(every(2, "week"), NY, { after: "2027-01-10", completedOn: "2027-01-08" })).toBe("2027-01-22");
  });

  it("clamps months and years to the end of a shorter month", () => {
    expect(nextDue(every(1, "month"), NY, { after: "2027-01-31", completedOn: "2027-01-31" })).toBe("2027-02-28");
    expect(nextDue(every(1, "month"), NY, { after: "2028-01-31", completedOn: "2028-01-31" })).toBe("2028-02-29");
    expect(nextDue(every(3, "month"), NY, { after: "2027-11-30", completedOn: "2027-11-30" })).toBe("2028-02-29");
    expect(nextDue(every(1, "year"), NY, { after: "2028-02-29", completedOn: "2028-02-29" })).toBe("2029-02-28");
  });

  it("counts a skip from the date it was due", () => {
    expect(nextDue(every(30, "day"), NY, { after: "2027-03-01" })).toBe("2027-03-31");
  });

  it("has no due date past the supported years", () => {
    expect(nextDue(every(1, "month"), NY, { after: "2200-12-15" })).toBeNull();
  });

  it("gives no feed dates, as they depend on when it is done", () => {
    expect(upcomingDates(every(1, "week"), NY, "2027-01-01", "2027-12-31", 10)).toEqual([]);
  });
});

describe("once schedules", () => {
  const once: Schedule = { type: "once", date: "2027-03-03" };

  it("is due on its date and never again", () => {
    expect(firstDue(once, NY)).toBe("2027-03-03");
    expect(nextDue(once, NY, { after: "2027-03-03", completedOn: "2027-03-03" })).toBeNull();
    expect(nextDue(once, NY, { after: "2027-03-03" })).toBeNull();
  });

  it("is in the feed only when its date is in the window", () => {
    expect(upcomingDates(once, NY, "2027-03-01", "2027-03-03", 5)).toEqual(["2027-03-03"]);
    expect(upcomingDates(once, NY, "2027-03-04", "2027-04-01", 5)).toEqual([]);
  });
});

describe("scheduleError", () => {
  it("accepts good schedules", () => {
    expect(scheduleError(calendar("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1"), NY)).toBeNull();
    expect(scheduleError(calendar("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"), LONDON)).toBeNull();
    expect(scheduleError(calendar("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;WKST=SU"), "UTC")).toBeNull();
    for (const rrule of [
      "FREQ=MONTHLY;BYDAY=-1FR",
      "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH",
      "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
      "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO",
      "FREQ=DAILY;UNTIL=20270101",
    ]) {
      expect(scheduleError(calendar(rrule), NY), rrule).toBeNull();
    }
    expect(scheduleError({ type: "after_completion", every: 30, unit: "day", start: "2027-01-01" }, NY)).toBeNull();
    expect(scheduleError({ type: "once", date: "2027-03-03" }, NY)).toBeNull();
  });

  it("refuses repeating more often than daily", () => {
    expect(scheduleError(calendar("FREQ=MINUTELY"), NY)).toBe("Maintenance can repeat at most daily");
    expect(scheduleError(calendar("FREQ=HOURLY;INTERVAL=6"), NY)).toBe("Maintenance can repeat at most daily");
    expect(scheduleError(calendar("FREQ=SECONDLY"), NY)).toBe("Maintenance can repeat at most daily");
  });

  it("refuses times of day", () => {
    expect(scheduleError(calendar("FREQ=DAILY;BYHOUR=8"), NY)).toMatch(/BYHOUR/);
    expect(scheduleError(calendar("FREQ=WEEKLY;BYMINUTE=30"), NY)).toMatch(/BYMINUTE/);
    expect(scheduleError(calendar("FREQ=WEEKLY;BYSECOND=0"), NY)).toMatch(/BYSECOND/);
  });

  it("refuses rules that never fall due on or after the start", () => {
    expect(scheduleError(calendar("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"), NY)).toMatch(/never falls due/);
    expect(scheduleError(calendar("FREQ=DAILY;UNTIL=20261231"), NY)).toMatch(/UNTIL/);
    expect(scheduleError(calendar("FREQ=DAILY;UNTIL=20261231T120000Z"), NY)).toMatch(/UNTIL/);
    expect(scheduleError(calendar("FREQ=DAILY;UNTIL=20270101T120000Z"), NY)).toMatch(/UNTIL/);
    expect(scheduleError(calendar("FREQ=DAILY;UNTIL=20270101T140000Z"), NY)).toBeNull();
    expect(scheduleError(calendar("FREQ=DAILY;COUNT=0"), NY)).toMatch(/COUNT=0/);
    expect(scheduleError(calendar("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;INTERVAL=4"), NY)).toMatch(/never falls due/);
  });

  it("refuses rules it cannot read", () => {
    for (const rrule of [
      "hello",
      "FREQ=FOO",
      "INTERVAL=2",
      "FREQ=WEEKLY;BYDAY=XX",
      "FREQ=DAILY;INTERVAL=0",
      "FREQ=MONTHLY;BYMONTHDAY=40",
      "FREQ=DAILY;FOO=1",
      "FREQ=DAILY;FREQ=WEEKLY",
      "FREQ=DAILY;COUNT=3;UNTIL=20271231",
      "FREQ=DAILY;;",
    ]) {
      expect(scheduleError(calendar(rrule), NY), rrule).toEqual(expect.any(String));
    }
  });

  it("refuses part combinations RFC 5545 forbids, which rrule-temporal would run as something else", () => {
    for (const rrule of [
      "FREQ=WEEKLY;BYDAY=1MO",
      "FREQ=DAILY;BYDAY=-1FR",
      "FREQ=YEARLY;BYWEEKNO=20;BYDAY=1MO",
      "FREQ=WEEKLY;BYMONTHDAY=5",
      "FREQ=MONTHLY;BYYEARDAY=5",
      "FREQ=MONTHLY;BYWEEKNO=5",
      "FREQ=DAILY;BYSETPOS=1",
    ]) {
      expect(scheduleError(calendar(rrule), NY), rrule).toEqual(expect.any(String));
    }
  });

  it("refuses a DTSTART or RRULE: prefix, since the start date is ours", () => {
    expect(scheduleError(calendar("RRULE:FREQ=DAILY"), NY)).toMatch(/without RRULE: or DTSTART/);
    expect(scheduleError(calendar("DTSTART:20270101T090000\nRRULE:FREQ=DAILY"), NY)).toMatch(
      /without RRULE: or DTSTART/,
    );
    expect(scheduleError(calendar("DTSTART;TZID=America/New_York:20270101T090000"), NY)).toMatch(
      /without RRULE: or DTSTART/,
    );
  });

  it("refuses an unknown time zone", () => {
    for (const zone of ["Mars/Olympus_Mons", "", "2027-01-01[UTC]", "EST5EDT; DROP"]) {
      expect(scheduleError({ type: "once", date: "2027-03-03" }, zone)).toMatch(/Unknown time zone/);
    }
    expect(isTimeZone("America/Argentina/Buenos_Aires")).toBe(true);
    expect(isTimeZone("Etc/GMT+5")).toBe(true);
  });

  it("refuses what the schema refuses", () => {
    expect(scheduleError({ type: "once", date: "2027-02-30" }, NY)).toMatch(/real date/);
  });
});

describe("isoDate and scheduleSchema", () => {
  it("accepts real dates in 2000..2200 only", () => {
    for (const good of ["2027-03-03", "2028-02-29", "2000-01-01", "2200-12-31"])
      expect(isoDate.safeParse(good).success, good).toBe(true);
    for (const bad of [
      "2027-02-30",
      "2027-2-3",
      "1800-01-01",
      "2201-01-01",
      "2027-02-29",
      "2027-13-01",
      "2027-03-03T00:00",
      " 2027-03-03",
      "",
    ]) {
      expect(isoDate.safeParse(bad).success, bad).toBe(false);
    }
  });

  it("checks each kind of schedule", () => {
    expect(scheduleSchema.safeParse({ type: "calendar", rrule: "FREQ=DAILY", start: "2027-01-01" }).success).toBe(true);
    expect(scheduleSchema.safeParse({ type: "calendar", rrule: "F".repeat(501), start: "2027-01-01" }).success).toBe(
      false,
    );
    expect(scheduleSchema.safeParse({ type: "calendar", rrule: "", start: "2027-01-01" }).success).toBe(false);
    expect(
      scheduleSchema.safeParse({ type: "after_completion", every: 400, unit: "year", start: "2027-01-01" }).success,
    ).toBe(true);
    for (const every of [0, 401, 1.5]) {
      expect(
        scheduleSchema.safeParse({ type: "after_completion", every, unit: "day", start: "2027-01-01" }).success,
        String(every),
      ).toBe(false);
    }
    expect(
      scheduleSchema.safeParse({ type: "after_completion", every: 2, unit: "fortnight", start: "2027-01-01" }).success,
    ).toBe(false);
    expect(scheduleSchema.safeParse({ type: "once", date: "1800-01-01" }).success).toBe(false);
    expect(scheduleSchema.safeParse({ type: "sometimes", date: "2027-01-01" }).success).toBe(false);
  });
});

describe("describeSchedule", () => {
  it("says the common shapes in plain words", () => {
    const cases: [Schedule, string][] = [
      [calendar("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1"), "Every 3 months on the 1st"],
      [calendar("FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=15"), "Every year on October 15"],
      [calendar("FREQ=YEARLY", "2027-10-15"), "Every year on October 15"],
      [calendar("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA"), "Every other Saturday"],
      [calendar("FREQ=WEEKLY", "2027-01-02"), "Every Saturday"],
      [calendar("FREQ=WEEKLY;BYDAY=FR,MO,WE"), "Every Monday, Wednesday and Friday"],
      [calendar("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"), "Every weekday"],
      [calendar("FREQ=WEEKLY;INTERVAL=3;BYDAY=TU"), "Every 3 weeks on Tuesday"],
      [calendar("FREQ=MONTHLY;BYMONTHDAY=-1"), "Every month on the last day"],
      [calendar("FREQ=MONTHLY;BYMONTHDAY=1,15"), "Every month on the 1st and 15th"],
      [calendar("FREQ=MONTHLY;BYMONTHDAY=22"), "Every month on the 22nd"],
      [calendar("FREQ=MONTHLY;BYMONTHDAY=13"), "Every month on the 13th"],
      [calendar("FREQ=MONTHLY;BYDAY=-1FR"), "Every month on the last Friday"],
      [calendar("FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO"), "Every other month on the first Monday"],
      [calendar("FREQ=YEARLY;BYMONTH=11;BYDAY=4TH"), "Every year on the fourth Thursday of November"],
      [calendar("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"), "Every year on the last day of February"],
      [calendar("FREQ=DAILY"), "Every day"],
      [calendar("FREQ=DAILY;INTERVAL=10;COUNT=3"), "Every 10 days, 3 times"],
      [calendar("FREQ=MONTHLY;BYMONTHDAY=1;UNTIL=20271231"), "Every month on the 1st, until Fri 31 Dec 2027"],
      [{ type: "after_completion", every: 30, unit: "day", start: "2027-01-01" }, "30 days after it was last done"],
      [{ type: "after_completion", every: 1, unit: "year", start: "2027-01-01" }, "A year after it was last done"],
      [{ type: "once", date: "2027-03-03" }, "Once, on Wed 3 Mar 2027"],
    ];
    for (const [schedule, words] of cases) expect(describeSchedule(schedule), words).toBe(words);
  });

  it("falls back to rrule-temporal's words for other shapes, without a time of day", () => {
    const words = describeSchedule(calendar("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"));
    expect(words).toMatch(/^Every month/);
    expect(words).not.toMatch(/AM|PM|UTC/);
  });

  it("does not throw on a rule it cannot read", () => {
    expect(describeSchedule(calendar("FREQ=FOO"))).toBe("Repeats by the rule FREQ=FOO");
  });
});

describe("dates and instants", () => {
  it("puts the due time at 09:00 local through both daylight-saving changes", () => {
    expect(DUE_HOUR_LOCAL).toBe(9);
    const utc = (date: string) => new Date(dueInstant(date, NY)).toISOString();
    expect(utc("2027-03-13")).toBe("2027-03-13T14:00:00.000Z");
    expect(utc("2027-03-14")).toBe("2027-03-14T13:00:00.000Z");
    expect(utc("2027-11-06")).toBe("2027-11-06T13:00:00.000Z");
    expect(utc("2027-11-07")).toBe("2027-11-07T14:00:00.000Z");
    expect(new Date(dueInstant("2027-03-27", LONDON)).toISOString()).toBe("2027-03-27T09:00:00.000Z");
    expect(new Date(dueInstant("2027-03-28", LONDON)).toISOString()).toBe("2027-03-28T08:00:00.000Z");
    for (const [zone, weeks] of [
      [NY, ["2027-03-10", "2027-11-03"]],
      [LONDON, ["2027-03-24", "2027-10-27"]],
    ] as const) {
      for (const monday of weeks) {
        for (let i = 0; i < 7; i++) {
          const date = addDays(monday, i);
          expect(localTime(dueInstant(date, zone), zone), `${zone} ${date}`).toBe("09:00");
          expect(localDate(dueInstant(date, zone), zone)).toBe(date);
        }
      }
    }
  });

  it("reads the local date of an instant", () => {
    const lateEvening = Date.UTC(2027, 2, 14, 3, 30);
    expect(localDate(lateEvening, NY)).toBe("2027-03-13");
    expect(localDate(lateEvening, "UTC")).toBe("2027-03-14");
    expect(localDate(Date.UTC(2027, 2, 14, 23, 30), "Pacific/Auckland")).toBe("2027-03-15");
  });

  it("adds days across months, years and backwards", () => {
    expect(addDays("2027-02-27", 2)).toBe("2027-03-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2027-12-31", 1)).toBe("2028-01-01");
    expect(addDays("2027-03-01", -1)).toBe("2027-02-28");
    expect(() => addDays("2027-2-3", 1)).toThrow(RangeError);
  });
});
