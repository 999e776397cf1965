/**
 * The floor for the Slack ack benchmark: a bare Bolt app that only acknowledges, behind the same
 * receiver and signature check Whistlestop uses, on a plain node:http server in its own process.
 * Prints its URL as one JSON line. Env: SLACK_SIGNING_SECRET.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { App, LogLevel } from "@slack/bolt";
import { SlackMountReceiver, SLACK_EVENTS_PATH } from "../src/adapters/slack/slack-mount-receiver.js";

const receiver = new SlackMountReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET ?? "", now: () => Date.now() });
const app = new App({ token: "xoxb-floor", botId: "B_FLOOR", botUserId: "U_FLOOR", tokenVerificationEnabled: false, receiver, convoStore: false, logLevel: LogLevel.ERROR });
app.command(/^\/.+/, async ({ ack }) => {
  await ack();
});

const server = createServer((req, res) => {
  if ((req.url ?? "").startsWith(SLACK_EVENTS_PATH)) {
    void receiver.handle(req, res);
    return;
  }
  res.writeHead(req.url === "/healthz" ? 200 : 404).end();
});
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
