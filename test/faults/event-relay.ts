import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readAll } from "../kit/process-helpers.js";

/**
 * EventBridge in front of several replicas: each pipeline event is POSTed to every replica still
 * listed, so the one that owns the deploy hears of it at once whichever that is (a load balancer
 * would pick one, and the owner's polling would catch up — slower than a test wants to wait).
 * Like an EventBridge rule, it forwards only the detail-types asked for.
 */
export interface EventRelay {
  readonly url: string;
  /** The pipeline-events URLs events go to; edit to add or drop replicas. */
  readonly targets: Set<string>;
  close(): Promise<void>;
}

export async function startEventRelay(detailTypes?: readonly string[]): Promise<EventRelay> {
  const targets = new Set<string>();
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const token = String(req.headers["x-whistlestop-token"] ?? "");
      if (detailTypes && !detailTypes.includes(String((JSON.parse(body.toString("utf8")) as { "detail-type"?: unknown })["detail-type"]))) {
        res.writeHead(200, { "content-type": "application/json" });
        return void res.end(JSON.stringify({ delivered: false, reason: "not matched by the rule" }));
      }
      const answers = await Promise.allSettled(
        [...targets].map((url) =>
          fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-whistlestop-token": token }, body, signal: AbortSignal.timeout(5000) }).then(
            async (r) => (await r.arrayBuffer(), r.status),
          ),
        ),
      );
      const delivered = answers.some((a) => a.status === "fulfilled" && a.value < 300);
      res.writeHead(delivered ? 200 : 502, { "content-type": "application/json" });
      res.end(JSON.stringify({ delivered }));
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    targets,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
