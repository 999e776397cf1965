import { html, raw, safeUrl } from "../../src/adapters/dashboard/html.js";
import { calendarDays, calendarRows } from "../../src/adapters/dashboard/calendar-model.js";
import { buildWindowSchedule } from "../../src/config/window-schedule.js";
import type { WindowConfig } from "../../src/core/model/config.js";

describe("the html template escapes by default", () => {
  test("every interpolated value is escaped, lists are joined, nothing shows for null, undefined and false", () => {
    const hostile = `<script>alert("x")</script>' onmouseover=\`y\` &`;
    expect(html`<p title="${hostile}">${hostile}</p>`.text).toBe(
      "<p title=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#96;y&#96; &amp;\">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#96;y&#96; &amp;</p>",
    );
    expect(html`<ul>${["<a>", html`<li>${"b&"}</li>`]}</ul>`.text).toBe("<ul>&lt;a&gt;<li>b&amp;</li></ul>");
    expect(html`${null}${undefined}${false}${0}`.text).toBe("0");
    expect(html`${raw("<br>")}`.text).toBe("<br>");
  });

  test("links keep http(s) and site paths only", () => {
    expect(safeUrl("javascript:alert(1)")).toBe("#");
    expect(safeUrl("//evil.example/x")).toBe("#");
    expect(safeUrl("/deploys/d-1")).toBe("/deploys/d-1");
    expect(safeUrl("https://github.com/o/r")).toBe("https://github.com/o/r");
  });
});

describe("the calendar's days follow the wall clock", () => {
  const evening: WindowConfig = {
    name: "Evening",
    kind: "deny",
    environments: [],
    services: [],
    allowRollback: true,
    timezone: "America/New_York",
    schedule: buildWindowSchedule({ cron: "0 21 * * *", durationMs: 3 * 3_600_000, timezone: "America/New_York" }),
  };

  test.each([
    ["the end of DST in New York", "America/New_York", "2026-10-30T16:00:00Z", "2026-11-01", 25],
    ["the start of DST in New York", "America/New_York", "2026-03-06T16:00:00Z", "2026-03-08", 23],
    ["a zone without DST", "Asia/Kolkata", "2026-10-30T06:00:00Z", "2026-11-01", 24],
  ])("%s", (_name, timezone, now, date, hours) => {
    const days = calendarDays({ timezone, windows: [evening] }, new Date(now));
    expect(days).toHaveLength(14);
    const day = days.find((d) => d.date === date)!;
    expect(day.hours).toBe(hours);
    expect(days.filter((d) => d.hours !== 24)).toHaveLength(hours === 24 ? 0 : 1);
    // Days tile the range: each starts where the one before ended.
    for (let i = 1; i < days.length; i++) expect(days[i]!.start).toEqual(days[i - 1]!.end);
  });

  test("an occurrence that crosses midnight shows on both days", () => {
    const late = { ...evening, schedule: buildWindowSchedule({ cron: "0 21 * * *", durationMs: 4 * 3_600_000, timezone: "America/New_York" }) };
    const days = calendarDays({ timezone: "America/New_York", windows: [late] }, new Date("2026-10-30T16:00:00Z"));
    const saturday = days.find((d) => d.date === "2026-10-31")!.occurrences;
    // Friday evening runs into Saturday, Saturday evening into Sunday.
    expect(saturday.map((o) => o.interval.start.toISOString())).toEqual(["2026-10-31T01:00:00.000Z", "2026-11-01T01:00:00.000Z"]);
    const saturdayEvening = saturday.at(-1)!.interval;
    expect(days.find((d) => d.date === "2026-11-01")!.occurrences[0]!.interval).toEqual(saturdayEvening);
    expect(saturdayEvening.start.toISOString()).toBe("2026-11-01T01:00:00.000Z");
  });

  test("days without a window fold into one row per run; days with one keep their own", () => {
    const saturdays = { ...evening, schedule: buildWindowSchedule({ cron: "0 21 * * 6", durationMs: 3 * 3_600_000, timezone: "America/New_York" }) };
    const rows = calendarRows(calendarDays({ timezone: "America/New_York", windows: [saturdays] }, new Date("2026-10-27T16:00:00Z")));
    expect(rows.map((row) => (row.kind === "day" ? row.day.date : row.days.map((d) => d.date).join(" ")))).toEqual([
      "2026-10-27 2026-10-28 2026-10-29 2026-10-30",
      "2026-10-31",
      "2026-11-01 2026-11-02 2026-11-03 2026-11-04 2026-11-05 2026-11-06",
      "2026-11-07",
      "2026-11-08 2026-11-09",
    ]);
    expect(calendarRows(calendarDays({ timezone: "America/New_York", windows: [] }, new Date("2026-10-27T16:00:00Z")))).toEqual([
      { kind: "empty", days: expect.any(Array) },
    ]);
  });
});
