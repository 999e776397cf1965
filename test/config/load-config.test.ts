import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { configPath, ConfigError, loadConfigFile, loadConfigOrThrow, parseConfig } from "../../src/config/load-config.js";
import { resolveTarget } from "../../src/core/model/resolve-target.js";

const EXAMPLE = fileURLToPath(new URL("../../examples/whistlestop.yml", import.meta.url));

/** A small valid file; tests splice lines in so the expected line numbers are easy to read. */
const lines = (...text: string[]): string => `${text.join("\n")}\n`;
const problemsOf = (text: string): string[] => {
  const result = parseConfig(text, "whistlestop.yml");
  if (result.ok) throw new Error("expected problems, got a valid config");
  return result.problems;
};

describe("examples/whistlestop.yml", () => {
  it("loads with no problems", async () => {
    const result = await loadConfigFile(EXAMPLE);
    expect(result.ok ? [] : result.problems).toEqual([]);
    if (!result.ok) return;
    const { config } = result;
    expect(config.timezone).toBe("America/New_York");
    expect(Object.keys(config.services).length).toBeGreaterThanOrEqual(9);
    expect(config.environments.prod).toMatchObject({ promoteFrom: "staging", confirm: true, enforceInPipeline: true, deployers: [] });
    // The sandbox token ("sandbox") must be able to deploy to prod everywhere.
    for (const service of Object.keys(config.services)) {
      const deployers = resolveTarget(config, service, "prod")!.deployers;
      expect(deployers.length === 0 || deployers.includes("api:sandbox")).toBe(true);
    }
  });

  it("compiles its windows in New York time", async () => {
    const config = await loadConfigOrThrow(EXAMPLE);
    const election = config.windows.find((w) => w.name === "Election night")!;
    expect(election.schedule.openAt(new Date("2026-11-04T03:00:00Z"))).toEqual({
      start: new Date("2026-11-03T23:00:00Z"),
      end: new Date("2026-11-04T11:00:00Z"),
    });
    const debates = config.windows.find((w) => w.name === "Debate nights")!;
    expect(debates.schedule.nextAfter(new Date("2026-10-01T00:00:00Z"))).toEqual({
      start: new Date("2026-10-16T01:00:00Z"),
      end: new Date("2026-10-16T04:00:00Z"),
    });
    // Rare on purpose: a sandbox demo on an ordinary evening is not blocked.
    expect(debates.schedule.openAt(new Date("2026-10-20T01:30:00Z"))).toBeNull();
  });
});

const BASE = [
  "timezone: America/New_York", //    1
  "environments:", //                 2
  "  staging: {}", //                 3
  "  prod:", //                       4
  "    promote_from: staging", //     5
  "services:", //                     6
  "  donations:", //                  7
  "    repo: hfa/donations", //       8
  "    on_merge: [staging]", //       9
];

describe("each problem names its line and field", () => {
  it.each([
    [
      "a bad duration",
      [...BASE, "windows:", "  - name: Debate nights", '    cron: "0 20 * * 1-5"', "    duration: 4 hours"],
      /^whistlestop\.yml:13: windows\[0\]\.duration: expected a duration like 4h/,
    ],
    [
      "an unknown environment in on_merge",
      [...BASE.slice(0, 8), "    on_merge: [staging, prd]"],
      /^whistlestop\.yml:9: services\.donations\.on_merge\[1\]: unknown environment "prd" \(did you mean "prod"\?\)/,
    ],
    [
      "a bad time zone",
      [...BASE, "windows:", "  - name: Lunch", "    cron: 0 12 * * *", "    duration: 1h", "    timezone: Europe/Londn"],
      /^whistlestop\.yml:14: windows\[0\]\.timezone: unknown time zone "Europe\/Londn" \(did you mean "Europe\/London"\?\)/,
    ],
    [
      "a YAML syntax error",
      [...BASE.slice(0, 8), "    on_merge: staging: prod"],
      /^whistlestop\.yml:9: YAML syntax error: Nested mappings are not allowed/,
    ],
    [
      "an unknown key, with a suggestion",
      [...BASE, "    stage: [Source, Deploy]"],
      /^whistlestop\.yml:10: services\.donations\.stage: unknown key "stage" \(did you mean "stages"\?\)$/,
    ],
    [
      "a service named after a command verb",
      [...BASE, "  deploy:", "    repo: hfa/deploy"],
      /^whistlestop\.yml:10: services\.deploy: "deploy" is a command word/,
    ],
    [
      "a window with both start and cron",
      [...BASE, "windows:", "  - name: Confused", "    start: 2026-11-03T18:00", "    end: 2026-11-04T06:00", '    cron: "0 20 * * *"', "    duration: 4h"],
      /^whistlestop\.yml:14: windows\[0\]\.cron: a window is either one-off \(start and end\) or recurring \(cron and duration\), not both/,
    ],
    [
      "a missing required field (points at its parent)",
      [...BASE, "  events:", "    on_merge: [staging]"],
      /^whistlestop\.yml:10: services\.events\.repo: required: the GitHub repository as owner\/name$/,
    ],
    [
      "a promotion cycle",
      [...BASE.slice(0, 3).map((l) => (l === "  staging: {}" ? "  staging: { promote_from: prod }" : l)), ...BASE.slice(3)],
      /^whistlestop\.yml:3: environments\.staging\.promote_from: promotion cycle: staging ← prod ← staging$/,
    ],
    [
      "a service environment that is not defined at the top level",
      [...BASE, "    environments:", "      production: { pipeline: donations-production }"],
      /^whistlestop\.yml:11: services\.donations\.environments\.production: unknown environment "production"/,
    ],
  ])("%s", (_label, text, expected) => {
    const problems = problemsOf(lines(...text));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });
});

describe("every problem is reported", () => {
  it("lists several problems in file order, one per line", () => {
    const problems = problemsOf(
      lines(
        "timezone: Mars/Olympus", //               1
        "defaults:", //                            2
        "  concurrency: wait", //                  3
        "environments:", //                        4
        "  staging:", //                           5
        "  all: {}", //                            6
        "services:", //                            7
        "  donations:", //                         8
        "    repo: hfa", //                        9
        "    slack_channel: '#donations'", //      10
        "    on_merge: [qa]", //                   11
        "    stages: [Source, Build]", //          12
        "windows:", //                             13
        "  - name: Night", //                      14
        "    cron: '0 25 * * *'", //               15
        "    duration: forever", //                16
        "    environments: [prod]", //             17
        "admins: [not a login]", //                18
      ),
    );
    expect(problems.map((p) => p.replace(/^(whistlestop\.yml:\d+: [^:]+):.*$/, "$1"))).toEqual([
      "whistlestop.yml:1: timezone",
      "whistlestop.yml:3: defaults.concurrency",
      "whistlestop.yml:6: environments.all",
      "whistlestop.yml:9: services.donations.repo",
      "whistlestop.yml:10: services.donations.slack_channel",
      "whistlestop.yml:11: services.donations.on_merge[0]",
      "whistlestop.yml:12: services.donations.stages",
      "whistlestop.yml:15: windows[0].cron",
      "whistlestop.yml:16: windows[0].duration",
      "whistlestop.yml:17: windows[0].environments[0]",
      "whistlestop.yml:18: admins[0]",
    ]);
  });

  it("reports each YAML syntax error with its line", () => {
    const problems = problemsOf(lines("environments:", "  staging: {}", "  staging: {}", "services: {"));
    expect(problems.some((p) => /^whistlestop\.yml:3: YAML syntax error: .*unique/i.test(p))).toBe(true);
    expect(problems.every((p) => /^whistlestop\.yml:\d+: YAML syntax error: [^\n]+$/.test(p))).toBe(true);
  });
});

describe("defaults and overrides", () => {
  const minimal = lines("environments:", "  staging:", "  prod: { promote_from: staging, deployers: ['@hfa/eng'] }", "services:", "  donations:", "    repo: hfa/donations");

  it("applies the documented defaults", () => {
    const result = parseConfig(minimal, "whistlestop.yml");
    if (!result.ok) throw new Error(result.problems.join("\n"));
    const { config } = result;
    expect(config.timezone).toBe("UTC");
    expect(config.defaults).toEqual({ pipeline: "{service}-{env}", sourceAction: "Source", deployStage: "Deploy", concurrency: "queue", rollback: "rollback-stage" });
    expect(config.environments.staging).toMatchObject({ confirm: false, deployers: [], enforceInPipeline: false });
    expect(config.services.donations).toMatchObject({ onMerge: [], environments: {} });
    expect(config.windows).toEqual([]);
    expect(config.people).toEqual({});
    expect(config.admins).toEqual([]);
    expect(resolveTarget(config, "donations", "prod")).toMatchObject({ pipeline: "donations-prod", deployers: ["@hfa/eng"], promoteFrom: "staging" });
  });

  it("lets a service's environment override win over the environment and the defaults", () => {
    const text = `${minimal}    environments:\n      prod: { pipeline: donations-production, deployers: [alice], confirm: true, rollback: redeploy }\n`;
    const result = parseConfig(text, "whistlestop.yml");
    if (!result.ok) throw new Error(result.problems.join("\n"));
    expect(resolveTarget(result.config, "donations", "prod")).toMatchObject({
      pipeline: "donations-production",
      deployers: ["alice"],
      confirm: true,
      rollback: "redeploy",
      promoteFrom: "staging",
      concurrency: "queue",
    });
  });

  it("keeps one-off times local to the window's zone, else the top-level zone", () => {
    const text = lines(
      "timezone: America/New_York",
      "environments: { prod: {} }",
      "services: {}",
      "windows:",
      "  - { name: A, start: 2026-11-03T18:00, end: 2026-11-04T06:00 }",
      "  - { name: B, start: 2026-11-03T18:00, end: 2026-11-04T06:00, timezone: Europe/London }",
    );
    const result = parseConfig(text, "whistlestop.yml");
    if (!result.ok) throw new Error(result.problems.join("\n"));
    const starts = result.config.windows.map((w) => w.schedule.nextAfter(new Date("2026-01-01T00:00:00Z"))?.start.toISOString());
    expect(starts).toEqual(["2026-11-03T23:00:00.000Z", "2026-11-03T18:00:00.000Z"]);
    expect(result.config.windows.map((w) => [w.kind, w.allowRollback, w.environments, w.services])).toEqual([
      ["deny", true, [], []],
      ["deny", true, [], []],
    ]);
  });
});

describe("files and paths", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "whistlestop-config-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("configPath prefers WHISTLESTOP_CONFIG", () => {
    expect(configPath({ WHISTLESTOP_CONFIG: "/etc/ws.yml" })).toBe("/etc/ws.yml");
    expect(configPath({})).toBe("./whistlestop.yml");
  });

  it("a missing file is one clear problem naming the path and WHISTLESTOP_CONFIG", async () => {
    const missing = join(dir, "nope.yml");
    const result = await loadConfigFile(missing);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toContain(missing);
    expect(result.problems[0]).toContain("WHISTLESTOP_CONFIG");
  });

  it("loadConfigOrThrow throws a ConfigError carrying every problem", async () => {
    const file = join(dir, "bad.yml");
    await writeFile(file, lines("environments: {}", "services:", "  deploy: { repo: hfa/deploy, on_merge: [staging] }"));
    const error = await loadConfigOrThrow(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:3: services\\.deploy: `)),
      expect.stringMatching(/:3: services\.deploy\.on_merge\[0\]: unknown environment "staging"; no environments are defined$/),
    ]);
  });
});
