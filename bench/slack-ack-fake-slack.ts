/**
 * A stand-in for Slack's Web API and response_urls for the Slack ack benchmark, in its own
 * process so its work does not share a CPU queue with the load generator. Answers ok to
 * everything (with a fresh ts for posted messages) and prints its URL as one JSON line.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

let seq = 0;
const counts = new Map<string, number>();

const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const method = path.startsWith("/respond/") ? "respond" : path.replace(/^\/(api\/)?/, "");
    counts.set(method, (counts.get(method) ?? 0) + 1);
    const body =
      method === "_counts"
        ? Object.fromEntries(counts)
        : { ok: true, channel: "C0BENCH", ts: `1700000000.${String(++seq).padStart(6, "0")}`, message_ts: `1700000000.${String(seq).padStart(6, "0")}` };
    const text = JSON.stringify(body);
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
