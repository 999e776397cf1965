import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const rootDir = fileURLToPath(new URL("../..", import.meta.url));
const jestBin = join(rootDir, "node_modules", "jest", "bin", "jest.js");
/** The project's Jest settings (transform, setup files), loaded as plain JavaScript. */
const { default: baseConfig } = (await import(new URL("../../jest.config.js", import.meta.url).href)) as { default: Record<string, unknown> };

/**
 * Jest gives every test file its own realm (its own `Error`), but a native addon is loaded once per
 * worker process and shared. better-sqlite3 registers its SqliteError class with the addon only on
 * the first `new Database()` of the process, so without test/setup-env.ts resetting that, every
 * later test file in the worker got SqliteErrors from an earlier file's realm: not `instanceof
 * Error` there, so `rejects.toThrow()` said "did not throw" although SQLite refused the write.
 * Two files, one worker, in a fixed order: the second is the one that used to fail.
 */
describe("SQLite errors in the second test file of a Jest worker", () => {
  it("are Errors of that file's realm", () => {
    const config = {
      ...baseConfig,
      rootDir,
      reporters: ["default"],
      globalSetup: undefined,
      globalTeardown: undefined,
      testMatch: ["<rootDir>/test/store/realm-fixtures/*.fixture.ts"],
    };
    const run = spawnSync(
      process.execPath,
      ["--experimental-vm-modules", "--no-warnings", jestBin, "--runInBand", "--ci", "--config", JSON.stringify(config), "first.fixture", "second.fixture"],
      { cwd: rootDir, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } },
    );
    expect({ status: run.status, output: run.stderr }).toMatchObject({ status: 0, output: expect.stringContaining("Tests:       2 passed, 2 total") });
  });
});
