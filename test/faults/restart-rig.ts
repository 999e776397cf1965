import { join } from "node:path";
import type { Emulator } from "../../src/emulator/emulator.js";
import { pipelinesFromConfig } from "../../src/emulator/pipelines-from-config.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/start-emulator.js";
import { startServerProcess, type ServerProcess } from "../kit/process-helpers.js";
import { loadTestConfig } from "../kit/test-app.js";
import { waitFor } from "../kit/wait-for.js";
import { EVENTS_TOKEN, serverEnv, startFakes, type Fakes } from "./server-with-fakes.js";

/** What the kill -9 tests share: the fakes, a CodePipeline emulator, and servers on one SQLite file. */
export interface RestartRig {
  /** CodePipeline, on a manual clock: steps run only when a test says so. */
  readonly emulator: Emulator;
  readonly emulatorUrl: string;
  readonly fakes: Fakes;
  /** The SQLite file every server of the test uses, so a restart finds what the killed one stored. */
  readonly db: string;
  /**
   * Starts `whistlestop start` on the rig's SQLite file (CodePipeline at `codepipelineUrl`, the
   * emulator by default) and points the pipeline events at it. Killed, if still running, after all.
   */
  start(options?: { readonly codepipelineUrl?: string; readonly extra?: Record<string, string> }): Promise<ServerProcess>;
  /** Lets CodePipeline run every step that is due and its events reach the server, until `done` holds. */
  runPipelinesUntil(what: string, done: () => Promise<boolean>, timeoutMs?: number): Promise<true>;
}

/** Registers the rig's beforeAll and afterAll in the calling describe block. */
export function useRestartRig(): RestartRig {
  let running: RunningEmulator | undefined;
  let fakes: Fakes | undefined;
  const servers: ServerProcess[] = [];
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the restart rig is used before its beforeAll ran");
    return value;
  };

  beforeAll(async () => {
    running = await startEmulator({ pipelines: pipelinesFromConfig(loadTestConfig()), scheduler: "manual", stepMs: 1000 });
    fakes = await startFakes();
  }, 30_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop("SIGKILL")));
    await running?.close();
    await fakes?.close();
  });

  const rig: RestartRig = {
    get emulator() {
      return ready(running).emulator;
    },
    get emulatorUrl() {
      return ready(running).url;
    },
    get fakes() {
      return ready(fakes);
    },
    get db() {
      return join(ready(fakes).dir, "whistlestop.db");
    },
    async start(options = {}) {
      const env = serverEnv(rig.fakes, { codepipelineUrl: options.codepipelineUrl ?? rig.emulatorUrl, db: rig.db, ...(options.extra ? { extra: options.extra } : {}) });
      const server = await startServerProcess(env);
      servers.push(server);
      rig.emulator.setEventTarget({ url: `${server.url}/api/pipeline-events`, token: EVENTS_TOKEN });
      return server;
    },
    runPipelinesUntil(what, done, timeoutMs = 20_000) {
      return waitFor(
        what,
        async () => {
          rig.emulator.runUntilIdle();
          await rig.emulator.flushEvents();
          return (await done()) || undefined;
        },
        timeoutMs,
      );
    },
  };
  return rig;
}
