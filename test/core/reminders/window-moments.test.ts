import { parseConfig } from "../../../src/config/load-config.js";
import type { WhistlestopConfig } from "../../../src/core/model/config.js";
import { dueReleases, dueWindowMoments, nextWindowMomentAt, type WindowMoment } from "../../../src/core/reminders/window-moments.js";
import { windowChannels } from "../../../src/core/reminders/window-audience.js";

function config(windows: string, extra = ""): WhistlestopConfig {
  const parsed = parseConfig(
    `timezone: America/New_York
announce_channel: C0ANNOUNCE
environments:
  staging: {}
  prod: {}
services:
  donations: { repo: hfa/donations, slack_channel: C0PAYMENTS }
  recurring: { repo: hfa/recurring, slack_channel: C0PAYMENTS }
  events: { repo: hfa/events, slack_channel: C0EVENTS }
  docs: { repo: hfa/docs }
${extra}windows:
${windows}`,
    "whistlestop.yml",
  );
  if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
  return parsed.config;
}

const MINUTE = 60_000;

/**
 * Walk the clock five minutes at a time (every moment here falls on a multiple of five minutes; the
 * duty itself wakes at each moment) and note each announcement the first time it is due.
 */
function walk(cfg: WhistlestopConfig, from: string, to: string): string[] {
  const seen = new Map<string, string>();
  for (let t = Date.parse(from); t <= Date.parse(to); t += 5 * MINUTE) {
    for (const m of dueWindowMoments(cfg, new Date(t))) {
      const id = `${m.kind} ${m.window.name} ${m.occurrence.start.toISOString()}`;
      if (!seen.has(id)) seen.set(id, `${new Date(t).toISOString()} ${m.kind}`);
    }
  }
  return [...seen.values()];
}

const describeMoment = (m: WindowMoment) => `${m.kind} ${m.at.toISOString()}`;

describe("window announcements: when each is due", () => {
  it("a nightly 20:00 window stays at 20:00 New York time across the end of daylight saving time (2026-11-01)", () => {
    const cfg = config(`  - name: Debate nights\n    cron: "0 20 * * *"\n    duration: 4h\n    environments: [prod]\n`);
    expect(walk(cfg, "2026-10-31T12:00:00Z", "2026-11-02T12:00:00Z")).toEqual([
      // Saturday Oct 31, still EDT (UTC-4): 19:30, 20:00, and 00:00 Sunday local.
      "2026-10-31T23:30:00.000Z window_soon",
      "2026-11-01T00:00:00.000Z window_start",
      "2026-11-01T04:00:00.000Z window_end",
      // Sunday Nov 1, now EST (UTC-5): the same local times are an hour later in UTC.
      "2026-11-02T00:30:00.000Z window_soon",
      "2026-11-02T01:00:00.000Z window_start",
      "2026-11-02T05:00:00.000Z window_end",
    ]);
  });

  it("a window over the repeated hour lasts its duration in real time: 22:00 EDT + 8h ends at 05:00 EST", () => {
    const cfg = config(`  - name: Overnight freeze\n    cron: "0 22 31 10 *"\n    duration: 8h\n`);
    expect(walk(cfg, "2026-10-31T20:00:00Z", "2026-11-01T12:00:00Z")).toEqual([
      "2026-11-01T01:30:00.000Z window_soon",
      "2026-11-01T02:00:00.000Z window_start",
      "2026-11-01T10:00:00.000Z window_end",
    ]);
  });

  it("a window at 01:30 on the night the clocks go back is announced for the occurrence the freeze enforces, once", () => {
    const cfg = config(`  - name: Maintenance\n    cron: "30 1 1 11 *"\n    duration: 20m\n`);
    const start = cfg.windows[0]!.schedule.nextAfter(new Date("2026-11-01T03:00:00Z"))!.start;
    // The freeze takes the first 01:30 (EDT, 05:30Z), not the repeated one an hour later: so do the announcements.
    expect(start.toISOString()).toBe("2026-11-01T05:30:00.000Z");
    expect(walk(cfg, "2026-11-01T03:00:00Z", "2026-11-01T09:00:00Z")).toEqual([
      "2026-11-01T05:00:00.000Z window_soon",
      "2026-11-01T05:30:00.000Z window_start",
      "2026-11-01T05:50:00.000Z window_end",
    ]);
  });

  it("a one-off window: soon is due until the start, the start and end for fifteen minutes, then never", () => {
    const cfg = config(`  - name: Election night\n    start: 2026-11-03T18:00\n    end: 2026-11-04T06:00\n`);
    const at = (iso: string) => dueWindowMoments(cfg, new Date(iso)).map(describeMoment);
    expect(at("2026-11-03T22:29:59Z")).toEqual([]);
    expect(at("2026-11-03T22:30:00Z")).toEqual(["window_soon 2026-11-03T22:30:00.000Z"]);
    expect(at("2026-11-03T22:59:00Z")).toEqual(["window_soon 2026-11-03T22:30:00.000Z"]);
    expect(at("2026-11-03T23:00:00Z")).toEqual(["window_start 2026-11-03T23:00:00.000Z"]);
    expect(at("2026-11-03T23:14:59Z")).toEqual(["window_start 2026-11-03T23:00:00.000Z"]);
    expect(at("2026-11-03T23:15:00Z")).toEqual([]);
    expect(at("2026-11-04T11:00:00Z")).toEqual(["window_end 2026-11-04T11:00:00.000Z"]);
    expect(at("2026-11-04T11:15:00Z")).toEqual([]);
    expect(nextWindowMomentAt(cfg, new Date("2026-11-03T12:00:00Z"))?.toISOString()).toBe("2026-11-03T22:30:00.000Z");
    expect(nextWindowMomentAt(cfg, new Date("2026-11-03T22:30:00Z"))?.toISOString()).toBe("2026-11-03T23:00:00.000Z");
    expect(nextWindowMomentAt(cfg, new Date("2026-11-03T23:00:00Z"))?.toISOString()).toBe("2026-11-04T11:00:00.000Z");
    expect(nextWindowMomentAt(cfg, new Date("2026-11-04T11:00:00Z"))).toBeUndefined();
  });

  it("allow windows and windows with announce: false are not announced, but their releases still come", () => {
    const cfg = config(
      `  - name: Quiet\n    start: 2026-11-03T18:00\n    end: 2026-11-03T20:00\n    announce: false\n  - name: Office hours\n    kind: allow\n    cron: "0 9 * * 1-5"\n    duration: 8h\n`,
    );
    expect(dueWindowMoments(cfg, new Date("2026-11-03T23:00:00Z"))).toEqual([]);
    expect(dueReleases(cfg, new Date("2026-11-04T01:00:00Z")).map((m) => `${m.window.name} ${describeMoment(m)}`)).toEqual(["Quiet window_end 2026-11-04T01:00:00.000Z"]);
    // An allow window releases what it held when it opens, at 09:00 EST.
    expect(dueReleases(cfg, new Date("2026-11-04T14:00:00Z")).map((m) => `${m.window.name} ${describeMoment(m)}`)).toEqual(["Office hours window_start 2026-11-04T14:00:00.000Z"]);
    expect(nextWindowMomentAt(cfg, new Date("2026-11-04T02:00:00Z"))?.toISOString()).toBe("2026-11-04T14:00:00.000Z");
  });
});

describe("window announcements: where they go", () => {
  it("each covered service's channel once, however many share it, then announce_channel; a service without a channel adds none", () => {
    const cfg = config(`  - name: All\n    start: 2026-11-03T18:00\n    end: 2026-11-04T06:00\n  - name: Payments\n    services: ["don*", recurring]\n    start: 2026-11-03T18:00\n    end: 2026-11-04T06:00\n`);
    expect(windowChannels(cfg, cfg.windows[0]!)).toEqual(["C0PAYMENTS", "C0EVENTS", "C0ANNOUNCE"]);
    expect(windowChannels(cfg, cfg.windows[1]!)).toEqual(["C0PAYMENTS", "C0ANNOUNCE"]);
  });

  it("a window over an environment no service has a channel for still reaches announce_channel", () => {
    const cfg = config(`  - name: Docs only\n    services: [docs]\n    start: 2026-11-03T18:00\n    end: 2026-11-04T06:00\n`);
    expect(windowChannels(cfg, cfg.windows[0]!)).toEqual(["C0ANNOUNCE"]);
  });
});
