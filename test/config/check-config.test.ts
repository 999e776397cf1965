import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkConfig } from "../../src/config/check-config.js";

const EXAMPLE = fileURLToPath(new URL("../../examples/whistlestop.yml", import.meta.url));

describe("whistlestop config check", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "whistlestop-check-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("exits 0 with a one-line summary for a valid file", async () => {
    const { exitCode, output } = await checkConfig(EXAMPLE);
    expect(exitCode).toBe(0);
    expect(output).toMatch(/^\S+: OK \(10 services, 2 environments, 2 windows\)$/);
  });

  it("exits non-zero listing every problem, then how to fix them", async () => {
    const file = join(dir, "whistlestop.yml");
    await writeFile(file, "environments:\n  prod: { confirm: maybe }\nservices:\n  all: { repo: hfa/all }\n");
    const { exitCode, output } = await checkConfig(file);
    expect(exitCode).not.toBe(0);
    const lines = output.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(`${file}:2: environments.prod.confirm: expected true or false (ask for confirmation), got "maybe"`);
    expect(lines[1]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:4: services\\.all: "all" is a command word`));
    expect(lines[2]).toMatch(/^2 problems in .*whistlestop config check/);
  });

  it("names the file and WHISTLESTOP_CONFIG when the file is missing", async () => {
    const { exitCode, output } = await checkConfig(join(dir, "missing.yml"));
    expect(exitCode).toBe(1);
    expect(output).toContain("missing.yml");
    expect(output).toContain("WHISTLESTOP_CONFIG");
  });
});
