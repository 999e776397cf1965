import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parse } from "yaml";
import { ACTION_COMMANDS } from "../../src/action/action-inputs.js";
import { reportOutputs } from "../../src/action/action-report.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const run = promisify(execFile);

describe("the committed action", () => {
  test("action/dist/index.js is exactly what `npm run build:action` makes from the sources", async () => {
    const scripts = (JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    const [tool, ...args] = scripts["build:action"]!.split(/\s+/);
    expect(tool).toBe("esbuild");
    const dir = await mkdtemp(join(tmpdir(), "action-bundle-"));
    try {
      const outfile = join(dir, "index.js");
      const rebuilt = args.map((arg) => (arg.startsWith("--outfile=") ? `--outfile=${outfile}` : arg));
      await run(join(ROOT, "node_modules", ".bin", "esbuild"), [...rebuilt, "--log-level=error"], { cwd: ROOT });
      const committed = await readFile(join(ROOT, "action", "dist", "index.js"), "utf8");
      if (committed !== (await readFile(outfile, "utf8"))) {
        throw new Error("action/dist/index.js is out of date with src/: run `npm run build:action` and commit it with the sources.");
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("the bundle needs nothing but Node built-ins (no npm install on the runner)", async () => {
    const bundle = await readFile(join(ROOT, "action", "dist", "index.js"), "utf8");
    const imports = [...bundle.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    for (const specifier of imports) expect(specifier).toMatch(/^node:/);
    expect(bundle).not.toMatch(/\brequire\(/);
  });

  test("action.yml: a node24 action on the bundle, declaring every input the code reads and every output it writes", async () => {
    const action = parse(await readFile(join(ROOT, "action.yml"), "utf8")) as {
      runs: { using: string; main: string };
      inputs: Record<string, { required?: boolean; default?: string; description: string }>;
      outputs: Record<string, { description: string }>;
    };
    expect(action.runs).toEqual({ using: "node24", main: "action/dist/index.js" });
    expect(Object.keys(action.inputs).sort()).toEqual(["command", "deploy-id", "environment", "reason", "ref", "server-url", "service", "timeout", "token", "wait"]);
    expect(action.inputs.command!.description).toContain(ACTION_COMMANDS.join(", "));
    expect(action.inputs.wait!.default).toBe("true");
    expect(action.inputs.token!.required).toBe(true);
    const outputs = reportOutputs({ command: "deploy", service: "s", environment: "e", passed: true, state: "done", message: "" });
    expect(Object.keys(action.outputs).sort()).toEqual(Object.keys(outputs).sort());
    for (const input of Object.values(action.inputs)) expect(input.description.length).toBeGreaterThan(10);
  });
});
