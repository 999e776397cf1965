import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { cruise as runCruise, format, type ICruiseResult } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";

/**
 * The layer rules in .dependency-cruiser.cjs, run by dependency-cruiser itself on small trees laid
 * out like src/: every edge the architecture allows passes, and each back-edge fails with the rule
 * that forbids it. `npm run lint` runs the same rules on the real src/.
 */
const config = join(process.cwd(), ".dependency-cruiser.cjs");
// The fixtures need no tsconfig (their imports are plain relative ones); the rules are the point.
const options = extractDepcruiseOptions(config).then(({ tsConfig: _tsConfig, ...rest }) => rest);

/** Edges the layers allow; none of them may be reported. */
const ALLOWED: Record<string, string> = {
  "src/core/model/deploy.ts": `export interface Deploy { readonly id: string }\n`,
  "src/core/ports/store.ts": `import type { Deploy } from "../model/deploy.js";\nexport interface Store { get(id: string): Promise<Deploy> }\n`,
  "src/ports/surface.ts": `import type { IncomingMessage } from "node:http";\nimport type { Store } from "../core/ports/store.js";\nexport interface Surface { readonly store: Store; readonly handle: (req: IncomingMessage) => boolean }\n`,
  "src/adapters/http/router.ts": `export const route = (path: string): string => path;\n`,
  "src/adapters/slack/slack-surface.ts": `import type { Surface } from "../../ports/surface.js";\nimport { route } from "../http/router.js";\nexport const slack = (s: Surface): string => route(String(s.store));\n`,
  "src/config/load-config.ts": `import type { Deploy } from "../core/model/deploy.js";\nexport const load = (): Deploy[] => [];\n`,
  "src/emulator/emulator-main.ts": `import { load } from "../config/load-config.js";\nexport const startEmulator = () => load();\n`,
  "src/app/start-server.ts": `import { slack } from "../adapters/slack/slack-surface.js";\nimport { startEmulator } from "../emulator/emulator-main.js";\nimport { load } from "../config/load-config.js";\nexport const start = () => [slack, startEmulator, load];\n`,
  "src/cli/api-client.ts": `import type { Deploy } from "../core/model/deploy.js";\nexport const fetchDeploy = (): Deploy | undefined => undefined;\n`,
  "src/cli/main.ts": `import { fetchDeploy } from "./api-client.js";\nexport const main = async () => [fetchDeploy, (await import("../app/start-server.js")).start];\n`,
  "src/action/run-action.ts": `import { fetchDeploy } from "../cli/api-client.js";\nexport const runAction = () => fetchDeploy();\n`,
};

/** One back-edge per rule: the file that has it, what it imports, and the rule that must catch it. */
const BACK_EDGES = [
  { rule: "core-imports-only-core", from: "src/core/model/back-edge.ts", to: "src/ports/surface.ts", text: `import type { Surface } from "../../ports/surface.js";\nexport type S = Surface;\n` },
  { rule: "ports-import-only-core", from: "src/ports/back-edge.ts", to: "src/app/start-server.ts", text: `import { start } from "../app/start-server.js";\nexport const s = start;\n` },
  { rule: "ports-only-declare-outside-types", from: "src/ports/runs-code.ts", to: "os", text: `import { hostname } from "node:os";\nexport const h = hostname;\n` },
  { rule: "adapters-import-only-core-and-ports", from: "src/adapters/slack/back-edge.ts", to: "src/app/start-server.ts", text: `import { start } from "../../app/start-server.js";\nexport const s = start;\n` },
  { rule: "adapters-import-only-core-and-ports", from: "src/adapters/github/reads-config.ts", to: "src/config/load-config.ts", text: `import { load } from "../../config/load-config.js";\nexport const l = load;\n` },
  { rule: "config-imports-only-core", from: "src/config/back-edge.ts", to: "src/adapters/http/router.ts", text: `import { route } from "../adapters/http/router.js";\nexport const r = route;\n` },
  { rule: "emulator-imports-only-core-and-config", from: "src/emulator/back-edge.ts", to: "src/adapters/http/router.ts", text: `import { route } from "../adapters/http/router.js";\nexport const r = route;\n` },
  { rule: "cli-imports-only-client-code", from: "src/cli/back-edge.ts", to: "src/adapters/http/router.ts", text: `import { route } from "../adapters/http/router.js";\nexport const r = route;\n` },
  { rule: "action-imports-only-client-code", from: "src/action/back-edge.ts", to: "src/cli/main.ts", text: `import { main } from "../cli/main.js";\nexport const m = main;\n` },
  { rule: "every-module-in-a-layer", from: "src/stray/helper.ts", to: "src/core/model/deploy.ts", text: `import type { Deploy } from "../core/model/deploy.js";\nexport type D = Deploy;\n` },
] as const;

/** The launcher (src/cli/main.ts) going wrong: each is a version of that file, cruised on its own. */
const LAUNCHER_EDGES = [
  { rule: "cli-main-loads-server-code-lazily", to: "src/app/start-server.ts", text: `import { start } from "../app/start-server.js";\nexport const main = start;\n` },
  { rule: "cli-main-launches-only-entry-points", to: "src/adapters/slack/slack-surface.ts", text: `export const main = async () => (await import("../adapters/slack/slack-surface.js")).slack;\n` },
] as const;

interface Violation {
  readonly rule: { readonly name: string };
  readonly from: string;
  readonly to: string;
}

async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

/** Runs the project's depcruise rules on `files`, laid out under a fresh directory, as `npm run lint` does. */
async function cruise(files: Record<string, string>): Promise<{ violations: Violation[]; errors: number; report: string }> {
  const root = await mkdtemp(join(tmpdir(), "whistlestop-layers-"));
  try {
    await writeTree(root, files);
    const cruised = await runCruise(["src"], { ...(await options), baseDir: root, outputType: "json" }, { extensions: [".ts", ".js"] });
    const result = JSON.parse(cruised.output as string) as ICruiseResult;
    const lint = await format(result, { outputType: "err-long" });
    return { violations: result.summary.violations as Violation[], errors: lint.exitCode, report: lint.output as string };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

describe("layer rules (.dependency-cruiser.cjs)", () => {
  const describeEdge = (rule: string, from: string, to: string) => `${rule}: ${from} → ${to}`;
  const described = (v: Violation) => describeEdge(v.rule.name, v.from, v.to);

  it("catch each back-edge with the rule that forbids it", async () => {
    const backEdges = Object.fromEntries(BACK_EDGES.map((edge) => [edge.from, edge.text]));
    const { violations, errors, report } = await cruise({ ...ALLOWED, ...backEdges });
    const expected = BACK_EDGES.map((e) => describeEdge(e.rule, e.from, e.to));
    expect(violations.map(described).sort()).toEqual([...expected].sort());
    // What `npm run lint` prints: an error line naming the rule and the edge; lint exits non-zero.
    expect(errors).toBe(BACK_EDGES.length);
    for (const line of expected) expect(report).toContain(`error ${line}`);
  });

  it.each(LAUNCHER_EDGES)("catch the launcher breaking $rule", async ({ rule, to, text }) => {
    const { violations } = await cruise({ ...ALLOWED, "src/cli/main.ts": text });
    expect(violations.map(described)).toEqual([describeEdge(rule, "src/cli/main.ts", to)]);
  });

  it("find nothing wrong in a tree that keeps to the layers", async () => {
    const { violations, errors } = await cruise(ALLOWED);
    expect(violations).toEqual([]);
    expect(errors).toBe(0);
  });
});
