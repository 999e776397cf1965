/**
 * The GitHub webhook benchmark's receiving end, as its own process: the CodePipeline emulator
 * (for Whistlestop) and a sink (for the floor app's one HTTP call), both reporting when a
 * deployed sha arrives. Arrival times are printed as `A <sha> <epoch ms>` lines, with
 * performance.timeOrigin + performance.now(), which processes on one machine share to well under
 * a millisecond. GET <sink>/running answers how many executions are still running.
 *
 * Env: BENCH_CONFIG (the whistlestop.yml the server runs with), STEP_MS.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseConfig } from "../src/config/load-config.js";
import { Emulator } from "../src/emulator/emulator.js";
import { isFinished } from "../src/emulator/execution-record.js";
import { pipelinesFromConfig } from "../src/emulator/pipelines-from-config.js";
import { startEmulator } from "../src/emulator/start-emulator.js";

const epochMs = (): number => performance.timeOrigin + performance.now();
const arrived = (sha: string) => process.stdout.write(`A ${sha} ${epochMs().toFixed(3)}\n`);

const parsed = parseConfig(readFileSync(process.env.BENCH_CONFIG ?? "", "utf8"), "bench.yml");
if (!parsed.ok) throw new Error(parsed.problems.join("\n"));

class RecordingEmulator extends Emulator {
  override call(operation: string, input: unknown): unknown {
    if (operation === "StartPipelineExecution") {
      for (const revision of (input as { sourceRevisions?: Array<{ revisionValue?: string }> }).sourceRevisions ?? []) if (revision.revisionValue) arrived(revision.revisionValue);
    }
    return super.call(operation, input);
  }
}
// Executions finish within about a second, so the server follows a realistic number of running
// deploys (not every deploy of the run at once) while the starts are measured.
const emulator = new RecordingEmulator({ pipelines: pipelinesFromConfig(parsed.config), stepMs: Number(process.env.STEP_MS ?? 250) });
const running = await startEmulator({ emulator });

const sink = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/running") {
    const count = emulator.pipelineDefinitions().reduce((sum, p) => sum + emulator.executions(p.name).filter((e) => !isFinished(e.status)).length, 0);
    return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ running: count }));
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    arrived((JSON.parse(Buffer.concat(chunks).toString("utf8")) as { sha: string }).sha);
    res.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
process.stdout.write(`${JSON.stringify({ url: running.url, sink: sinkUrl })}\n`);
process.on("SIGTERM", () => void running.close().finally(() => process.exit(0)));
