import { parseConfig } from "../../src/config/load-config.js";
import { resolveTarget } from "../../src/core/model/resolve-target.js";

const parse = (text: string) => parseConfig(text, "whistlestop.yml");
const BASE = `environments:
  staging:
    lock_reminder: off
  prod:
    lock_reminder: 90m
services:
  web:
    repo: hfa/web
  site:
    repo: hfa/site
    environments:
      prod: { lock_reminder: 1m }
      staging: { lock_reminder: 2h }
windows:
  - name: Election night
    start: 2026-11-03T18:00
    end: 2026-11-04T06:00
  - name: Quiet hours
    cron: "0 22 * * *"
    duration: 8h
    announce: false
`;

describe("lock_reminder and windows' announce in whistlestop.yml", () => {
  it("reach the core: 4h by default, off, a duration, a service environment's own setting wins", () => {
    const result = parse(BASE.replace("  staging:\n    lock_reminder: off\n", "  staging: {}\n"));
    if (!result.ok) throw new Error(result.problems.join("\n"));
    expect(resolveTarget(result.config, "web", "staging")?.lockReminderMs).toBe(4 * 3_600_000);
    const withOff = parse(BASE);
    if (!withOff.ok) throw new Error(withOff.problems.join("\n"));
    expect(resolveTarget(withOff.config, "web", "staging")?.lockReminderMs).toBe(false);
    expect(resolveTarget(withOff.config, "web", "prod")?.lockReminderMs).toBe(90 * 60_000);
    expect(resolveTarget(withOff.config, "site", "prod")?.lockReminderMs).toBe(60_000);
    expect(resolveTarget(withOff.config, "site", "staging")?.lockReminderMs).toBe(2 * 3_600_000);
    expect(withOff.config.windows.map((w) => w.announce ?? true)).toEqual([true, false]);
  });

  it("rejects a reminder shorter than a minute, a word that is not off, and an announce that is not a flag, naming each line", () => {
    const result = parse(BASE.replace("lock_reminder: 90m", "lock_reminder: 30s").replace("{ lock_reminder: 1m }", "{ lock_reminder: never }").replace("announce: false", "announce: sometimes"));
    expect(result.ok ? [] : result.problems).toEqual([
      expect.stringMatching(/whistlestop\.yml:5: environments\.prod\.lock_reminder: "30s" is too short/),
      expect.stringMatching(/whistlestop\.yml:12: services\.site\.environments\.prod\.lock_reminder: expected a duration like 4h, 90m or 1h30m, or "off", got "never"/),
      expect.stringMatching(/whistlestop\.yml:21: windows\[1\]\.announce: expected true or false/),
    ]);
  });
});
