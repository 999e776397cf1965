import { type Case, api, github, runCase, slack } from "./parse-command-fixtures.js";

describe("approve <deploy-id> and reject <deploy-id> [--reason]", () => {
  const cases: Case[] = [
    ["approve d-mk2x-0a1b2c3d4e", api(), { command: { verb: "approve", id: "d-mk2x-0a1b2c3d4e" } }],
    ["Approve d-1", slack(), { command: { verb: "approve", id: "d-1" } }],
    ["reject d-1 --reason ok", slack({ defaultVerb: "rollback" }), { command: { verb: "reject", id: "d-1", reason: "ok" } }],
    ['reject d-1 --reason "not during the rally"', api(), { command: { verb: "reject", id: "d-1", reason: "not during the rally" } }],
    ["reject --reason “wrong sha” d-1", slack(), { command: { verb: "reject", id: "d-1", reason: "wrong sha" } }],
    ["reject d-1", api(), { command: { verb: "reject", id: "d-1" } }],
    ["/approve d-1", github(), { command: { verb: "approve", id: "d-1" } }],
    ["/reject d-1 --reason 'needs QA'\nmore words", github(), { command: { verb: "reject", id: "d-1", reason: "needs QA" } }],
    // Prow and review bots own a bare /approve on GitHub: not Whistlestop's, so no reply.
    ["/approve", github(), { ignore: true }],
    ["/approve cancel", github(), { ignore: true }],
    ["/approve no-issue", github(), { ignore: true }],
    ["/reject", github(), { ignore: true }],
    ["approve", api(), { error: "bad_command", says: ["missing the deploy id", "Usage: approve <deploy-id>"] }],
    ["approve d_1!", api(), { error: "bad_command", says: ['"d_1!" is not a deploy id'] }],
    ["approve d-1 d-2", api(), { error: "bad_command", says: ['did not understand "d-2"'] }],
    ["approve d-1 --force", api(), { error: "bad_command", says: ["--force does not apply to approve"] }],
    ["approve d-1 --reason ok", api(), { error: "bad_command", says: ["--reason does not apply to approve"] }],
    ["reject d-1 --yes", api(), { error: "bad_command", says: ["--yes does not apply to reject", 'Usage: reject <deploy-id> [--reason "…"]'] }],
    [`approve ${"a".repeat(129)}`, api(), { error: "bad_command", says: ["is not a deploy id"] }],
  ];
  it.each(cases)("%j", (...c) => runCase(c));

  it("help lists both, in each surface's syntax", () => {
    runCase(["help", slack(), { help: ["/deploy approve <deploy-id>", "/deploy reject <deploy-id>"] }]);
    runCase(["/help", github(), { help: ["/approve <deploy-id>"] }]);
  });
});
