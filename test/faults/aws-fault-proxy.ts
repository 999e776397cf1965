import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Calls a proxy rule is keeping; a server killed meanwhile never hears back. */
export interface HeldAwsCalls {
  /** How many calls the rule has caught so far. */
  count(): number;
  /** Let every caught call go on (and stop catching). */
  release(): void;
  /** Cut every caught call's connection (and stop catching): the request is lost, or its answer is. */
  drop(): void;
}

/**
 * A proxy in front of the CodePipeline emulator that stops chosen calls at a chosen moment: before
 * CodePipeline sees the request, or after CodePipeline acted but before the caller hears the answer.
 * Rules match an operation on one pipeline, so one server can be caught at different steps at once.
 */
export interface AwsFaultProxy {
  readonly url: string;
  holdRequest(operation: string, pipeline: string): HeldAwsCalls;
  holdAnswer(operation: string, pipeline: string): HeldAwsCalls;
  close(): Promise<void>;
}

interface Rule {
  readonly when: "request" | "answer";
  readonly operation: string;
  readonly pipeline: string;
  readonly waiting: Array<(go: boolean) => void>;
  caught: number;
  active: boolean;
}

export async function startAwsFaultProxy(targetUrl: string): Promise<AwsFaultProxy> {
  const rules: Rule[] = [];
  const server = createServer((req, res) => void relay(req, res).catch(() => res.destroy()));

  const caughtBy = (when: Rule["when"], operation: string, pipeline: string | undefined): Rule | undefined =>
    rules.find((r) => r.active && r.when === when && r.operation === operation && r.pipeline === pipeline);
  const wait = (rule: Rule): Promise<boolean> => {
    rule.caught += 1;
    return new Promise<boolean>((resume) => rule.waiting.push(resume));
  };

  async function relay(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req);
    const target = String(req.headers["x-amz-target"] ?? "");
    const operation = target.slice(target.lastIndexOf(".") + 1);
    const pipeline = pipelineOf(body);
    const before = caughtBy("request", operation, pipeline);
    if (before && !(await wait(before))) return void res.destroy();
    const headers: Record<string, string> = {};
    for (const name of ["content-type", "x-amz-target"]) if (req.headers[name]) headers[name] = String(req.headers[name]);
    const answer = await fetch(`${targetUrl}${req.url ?? "/"}`, { method: req.method ?? "POST", headers, ...(body.length ? { body } : {}) });
    const payload = Buffer.from(await answer.arrayBuffer());
    const after = caughtBy("answer", operation, pipeline);
    if (after && !(await wait(after))) return void res.destroy();
    res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/x-amz-json-1.1" });
    res.end(payload);
  }

  const add = (when: Rule["when"], operation: string, pipeline: string): HeldAwsCalls => {
    const rule: Rule = { when, operation, pipeline, waiting: [], caught: 0, active: true };
    rules.push(rule);
    const settle = (go: boolean) => {
      rule.active = false;
      for (const resume of rule.waiting.splice(0)) resume(go);
    };
    return { count: () => rule.caught, release: () => settle(true), drop: () => settle(false) };
  };

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    holdRequest: (operation, pipeline) => add("request", operation, pipeline),
    holdAnswer: (operation, pipeline) => add("answer", operation, pipeline),
    async close() {
      for (const rule of rules) for (const resume of rule.waiting.splice(0)) resume(false);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** CodePipeline names the pipeline `name` (StartPipelineExecution, GetPipeline) or `pipelineName`. */
function pipelineOf(body: Buffer): string | undefined {
  try {
    const input = JSON.parse(body.toString("utf8")) as { name?: unknown; pipelineName?: unknown };
    const name = input.pipelineName ?? input.name;
    return typeof name === "string" ? name : undefined;
  } catch {
    return undefined;
  }
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
