/**
 * The floor for the GitHub webhook benchmark: a bare Probot app in its own process, on the same
 * Probot middleware, whose pull_request.closed handler makes one HTTP call to a local server
 * (the stand-in for StartPipelineExecution). Started by bench/github-webhook.ts.
 *
 * Env: WEBHOOK_SECRET, PRIVATE_KEY_PATH, SINK_URL, PORT (0 = any).
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, Probot } from "probot";

const env = process.env;
const probot = new Probot({ appId: 1, privateKey: readFileSync(env.PRIVATE_KEY_PATH!, "utf8"), secret: env.WEBHOOK_SECRET!, logLevel: "warn" });
const sink = env.SINK_URL!;

const middleware = await createNodeMiddleware(
  (app) => {
    app.on("pull_request.closed", async (context) => {
      const sha = context.payload.pull_request.merge_commit_sha;
      await fetch(sink, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ sha }) });
    });
  },
  { probot, webhooksPath: "/api/github/webhooks" },
);

const server = createServer((req, res) => {
  void middleware(req, res, () => {
    res.writeHead(404).end();
  });
});
server.listen(Number(env.PORT ?? 0), "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ msg: "floor listening", url: `http://127.0.0.1:${port}` })}\n`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
