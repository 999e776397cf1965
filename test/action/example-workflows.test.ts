import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { mapGitHubEnvironment } from "../../src/core/commands/review-protection-rule.js";
import { loadTestConfig } from "../kit/test-app.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

interface Step {
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
}
interface Workflow {
  readonly on: unknown;
  readonly jobs: Record<string, { steps: Step[]; environment?: string | { name: string } }>;
}

/** The examples are copied into real repositories: they must use the action as action.yml declares it. */
describe("examples/workflows", () => {
  test("every step that uses the action passes only declared inputs, all required ones, and reads only declared outputs", async () => {
    const action = parse(await readFile(join(ROOT, "action.yml"), "utf8")) as {
      inputs: Record<string, { required?: boolean }>;
      outputs: Record<string, unknown>;
    };
    const required = Object.entries(action.inputs).filter(([, spec]) => spec.required).map(([name]) => name);
    const files = (await readdir(join(ROOT, "examples", "workflows"))).filter((name) => name.endsWith(".yml"));
    expect(files.sort()).toEqual(["deploy.yml", "self-managed-deploy.yml"]);
    let uses = 0;
    for (const file of files) {
      const text = await readFile(join(ROOT, "examples", "workflows", file), "utf8");
      const workflow = parse(text) as Workflow;
      expect(workflow.on).toBeDefined();
      for (const job of Object.values(workflow.jobs)) {
        for (const step of job.steps.filter((s) => s.uses?.endsWith("/whistlestop@v1"))) {
          uses++;
          for (const input of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(input);
          for (const input of required) expect(step.with).toHaveProperty([input]);
          expect(String(step.with?.token)).toBe("${{ secrets.WHISTLESTOP_TOKEN }}");
        }
      }
      for (const [, output] of text.matchAll(/steps\.[\w-]+\.outputs\.([\w-]+)/g)) expect(Object.keys(action.outputs)).toContain(output);
    }
    expect(uses).toBeGreaterThanOrEqual(5);
  });

  test("one example deploys on push to main, another checks before deploying by itself", async () => {
    const deploy = parse(await readFile(join(ROOT, "examples", "workflows", "deploy.yml"), "utf8")) as Workflow;
    expect(deploy.on).toMatchObject({ push: { branches: ["main"] } });
    const selfManaged = await readFile(join(ROOT, "examples", "workflows", "self-managed-deploy.yml"), "utf8");
    expect(selfManaged).toMatch(/command: check/);
  });

  test("every GitHub environment a job names maps to a Whistlestop environment, or its protection rule would reject the job", async () => {
    const config = loadTestConfig();
    const named: string[] = [];
    for (const file of (await readdir(join(ROOT, "examples", "workflows"))).filter((name) => name.endsWith(".yml"))) {
      const workflow = parse(await readFile(join(ROOT, "examples", "workflows", file), "utf8")) as Workflow;
      for (const job of Object.values(workflow.jobs)) {
        if (job.environment === undefined) continue;
        const name = typeof job.environment === "string" ? job.environment : job.environment.name;
        named.push(name);
        expect({ name, targets: mapGitHubEnvironment(config, "whistlestop-demo/donations", name).targets.map((t) => t.env) }).toEqual({ name, targets: [expect.any(String)] });
      }
    }
    expect(named).toEqual(["prod"]);
  });
});
