import { parseCommand } from "../../src/core/commands/parse-command.js";
import { editDistance, suggestName } from "../../src/core/commands/suggest-name.js";
import { type Case, api, deploy, github, runCase, slack } from "./parse-command-fixtures.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("parseCommand: every form", () => {
  const cases: Case[] = [
    // Slack: the slash command's own verb arrives as defaultVerb, the text holds the rest.
    ["donations prod", slack(), deploy("donations", "prod")],
    ["donations to prod", slack(), deploy("donations", "prod")],
    ["donations prod main", slack(), deploy("donations", "prod", { ref: "main" })],
    ["donations staging feature/new-form --yes", slack(), deploy("donations", "staging", { ref: "feature/new-form", yes: true })],
    [`donations prod ${SHA}`, slack(), deploy("donations", "prod", { ref: SHA })],
    ["lock donations prod", slack(), { command: { verb: "lock", service: "donations", env: "prod" } }],
    ["rollback donations prod", slack(), { command: { verb: "rollback", service: "donations", env: "prod", force: false, yes: false } }],
    ["unlock all all --force", slack(), { command: { verb: "unlock", service: "all", env: "all", force: true } }],
    ["cancel donations prod", slack(), { command: { verb: "cancel", service: "donations", env: "prod" } }],
    ["windows prod", slack(), { command: { verb: "windows", env: "prod" } }],
    ["deploys", slack(), { command: { verb: "deploys" } }],
    ["donations prod", slack({ defaultVerb: "rollback" }), { command: { verb: "rollback", service: "donations", env: "prod", force: false, yes: false } }],
    ["deploy donations prod", slack({ defaultVerb: "rollback" }), deploy("donations", "prod")],
    ["donations prod for 2h debate prep", slack({ defaultVerb: "lock" }), { command: { verb: "lock", service: "donations", env: "prod", until: "2026-03-06T17:00:00.000Z", reason: "debate prep" } }],
    ["donations prod", slack({ defaultVerb: "unlock" }), { command: { verb: "unlock", service: "donations", env: "prod", force: false } }],
    ["", slack({ defaultVerb: "deploys" }), { command: { verb: "deploys" } }],
    ["donations", slack({ defaultVerb: "deploys" }), { command: { verb: "deploys", service: "donations" } }],
    ["prod", slack({ defaultVerb: "deploys" }), { command: { verb: "deploys", env: "prod" } }],
    ["donations prod", slack({ defaultVerb: "deploys" }), { command: { verb: "deploys", service: "donations", env: "prod" } }],
    ["", slack({ defaultVerb: "windows" }), { command: { verb: "windows" } }],
    ["", slack({ defaultVerb: "rollback" }), { error: "bad_command", says: ["missing the service", "Usage: `/rollback <service> <env>"] }],
    ["", slack(), { help: ["/deploy <service>", "/lock ", "/deploy cancel", "/deploy donations prod"] }],
    ["help", slack(), { help: ["/deploy <service>"] }],
    ["Donations PROD", slack(), deploy("donations", "prod")],
    // API and CLI: the text starts with the verb; a leading slash is tolerated.
    ["deploy donations prod", api(), deploy("donations", "prod")],
    ["/deploy donations prod", api(), deploy("donations", "prod")],
    ["Deploy donations to prod v1.2.3", api(), deploy("donations", "prod", { ref: "v1.2.3" })],
    ["rollback donations prod to 1a2b3c4", api(), { command: { verb: "rollback", service: "donations", env: "prod", target: "1a2b3c4", force: false, yes: false } }],
    ["rollback donations prod to d-2026-0001 --force --yes --reason 'bad release'", api(), { command: { verb: "rollback", service: "donations", env: "prod", target: "d-2026-0001", force: true, yes: true, reason: "bad release" } }],
    ["lock all prod", api(), { command: { verb: "lock", service: "all", env: "prod" } }],
    ["unlock donations prod", api(), { command: { verb: "unlock", service: "donations", env: "prod", force: false } }],
    ["deploys donations prod", api(), { command: { verb: "deploys", service: "donations", env: "prod" } }],
    ["cancel donations staging", api(), { command: { verb: "cancel", service: "donations", env: "staging" } }],
    ["windows", api(), { command: { verb: "windows" } }],
    ["help", api(), { help: ["deploy <service> [to] <env>", "Examples: deploy donations prod"] }],
    ["deploy", api(), { help: ["lock <service|all>"] }],
    ["deploy help", api(), { help: ["rollback <service>"] }],
    // GitHub comments.
    ["/deploy staging", github(), deploy("donations", "staging")],
    ["/deploy to staging", github(), deploy("donations", "staging")],
    ["/deploy staging feature/login-form", github(), deploy("donations", "staging", { ref: "feature/login-form" })],
    ["/deploy donations staging", github(), deploy("donations", "staging")],
    ["/deploy mailer prod --yes", github(), deploy("mailer", "prod", { yes: true })],
    ["/Deploy prod main --yes", github(), deploy("donations", "prod", { ref: "main", yes: true })],
    ["/rollback", github(), { command: { verb: "rollback", service: "donations", force: false, yes: false } }],
    ["/rollback prod", github(), { command: { verb: "rollback", service: "donations", env: "prod", force: false, yes: false } }],
    ["/rollback to 1a2b3c4", github(), { command: { verb: "rollback", service: "donations", target: "1a2b3c4", force: false, yes: false } }],
    ["/rollback prod to 1a2b3c4 --yes", github(), { command: { verb: "rollback", service: "donations", env: "prod", target: "1a2b3c4", force: false, yes: true } }],
    ["/lock staging for 1h qa run", github(), { command: { verb: "lock", service: "donations", env: "staging", until: "2026-03-06T16:00:00.000Z", reason: "qa run" } }],
    ["/unlock all prod", github(), { command: { verb: "unlock", service: "all", env: "prod", force: false } }],
    ["/cancel staging", github(), { command: { verb: "cancel", service: "donations", env: "staging" } }],
    ["/deploys", github(), { command: { verb: "deploys", service: "donations" } }],
    ["/deploys prod", github({ repoServices: ["donations", "donations-worker"] }), { command: { verb: "deploys", env: "prod" } }],
    ["/windows", github(), { command: { verb: "windows" } }],
    ["/help", github(), { help: ["/deploy [<service>] [to] <env>", "/deploy staging"] }],
    ["/deploy help", github(), { help: ["/rollback"] }],
    ["/deploy", github(), { help: ["/lock"] }],
  ];
  it.each(cases)("%j", (...c) => runCase(c));
});

describe("parseCommand: GitHub comments", () => {
  const cases: Case[] = [
    ["/deploy staging\nThe login form is ready, please check.", github(), deploy("donations", "staging")],
    ["/deploy staging\r\n/deploy prod --yes", github(), deploy("donations", "staging")],
    ["LGTM!\n/deploy staging", github(), { ignore: true }],
    ["> /deploy staging\n\nI think this broke prod", github(), { ignore: true }],
    ["Please /deploy staging", github(), { ignore: true }],
    ["deploy staging", github(), { ignore: true }],
    ["/deployed it yesterday", github(), { ignore: true }],
    ["`/deploy staging` failed", github(), { ignore: true }],
    ["🚀 Deployed donations@abc1234 to staging (deploy d-1)", github(), { ignore: true }],
    ["<!-- whistlestop:progress -->\n/deploy staging", github(), { ignore: true }],
    ["/deplyo staging", github(), { ignore: true }],
    ["", github(), { ignore: true }],
    ["/deploy staging", github({ repoServices: ["donations", "donations-worker"] }), { error: "bad_command", says: ["this repository has several services: donations, donations-worker — name one: /deploy donations staging"] }],
    ["/rollback", github({ repoServices: ["donations", "donations-worker"] }), { error: "bad_command", says: ["several services"] }],
    ["/deploy donations-worker staging", github({ repoServices: ["donations", "donations-worker"] }), deploy("donations-worker", "staging")],
    ["/deploy staging", github({ repoServices: [] }), { error: "bad_command", says: ["name one: /deploy <service> staging"] }],
    ["/deploy donatoins staging", github(), { error: "unknown_service", says: ['did you mean "donations"?'] }],
    ["/deploy stagign", github(), { error: "unknown_environment", says: ['did you mean "staging"?'] }],
    ["/deploy staging 'unterminated", github(), { error: "bad_command", says: ["unterminated quote", "Usage: `/deploy [<service>]"] }],
  ];
  it.each(cases)("%j", (...c) => runCase(c));
});

describe("parseCommand: quotes and flags", () => {
  const cases: Case[] = [
    ['deploy donations prod --reason "hot fix for #123"', api(), deploy("donations", "prod", { reason: "hot fix for #123" })],
    ["donations prod --reason “debate prep”", slack(), deploy("donations", "prod", { reason: "debate prep" })],
    ["donations prod --reason ‘don’t wait’", slack(), deploy("donations", "prod", { reason: "don’t wait" })],
    ["deploy donations prod --reason 'it's late'", api(), deploy("donations", "prod", { reason: "it's late" })],
    ['deploy donations prod --reason="two words"', api(), deploy("donations", "prod", { reason: "two words" })],
    ["deploy donations prod --reason=hotfix", api(), deploy("donations", "prod", { reason: "hotfix" })],
    ['deploy donations prod --reason "--force was needed"', api(), deploy("donations", "prod", { reason: "--force was needed" })],
    ["deploy --yes donations --force prod main -y", api(), deploy("donations", "prod", { ref: "main", yes: true, force: true })],
    ["--force donations prod", slack(), deploy("donations", "prod", { force: true })],
    ["donations prod —force —reason “smart dashes”", slack(), deploy("donations", "prod", { force: true, reason: "smart dashes" })],
    ["deploy donations prod --YES", api(), deploy("donations", "prod", { yes: true })],
    ['deploy "donations" "prod"', api(), deploy("donations", "prod")],
    ["lock donations prod it's broken again", api(), { command: { verb: "lock", service: "donations", env: "prod", reason: "it's broken again" } }],
    ["deploy donations prod --forse", api(), { error: "bad_command", says: ["unknown flag --forse — did you mean --force?", "Usage: deploy <service>"] }],
    ["donations prod --reaso x", slack(), { error: "bad_command", says: ["did you mean --reason?"] }],
    ["deploy donations prod -x", api(), { error: "bad_command", says: ["unknown flag -x — the flags are --force"] }],
    ["deploy donations prod --force=true", api(), { error: "bad_command", says: ["--force takes no value"] }],
    ["deploy donations prod --reason", api(), { error: "bad_command", says: ["--reason needs a text"] }],
    ['deploy donations prod --reason ""', api(), { error: "bad_command", says: ["--reason needs a text"] }],
    ["deploy donations prod --reason --yes", api(), { error: "bad_command", says: ["--reason needs a text"] }],
    ["deploy donations prod --reason a --reason b", api(), { error: "bad_command", says: ["give --reason once"] }],
    ["deploy donations prod --reason debate prep", api(), { error: "bad_command", says: ['quote a reason of several words: --reason "debate prep", or put --reason last'] }],
    ["lock donations prod --reason debate prep", api(), { error: "bad_command", says: ['--reason "debate prep"'] }],
    ["lock donations prod prep --reason debate", api(), { error: "bad_command", says: ["give the reason once"] }],
    ["deploys --force", api(), { error: "bad_command", says: ["--force does not apply to deploys", "Usage: deploys [<service>] [<env>]"] }],
    ["lock donations prod --yes", api(), { error: "bad_command", says: ["--yes does not apply to lock"] }],
    ['deploy donations prod --reason "never closed', api(), { error: "bad_command", says: ["unterminated quote", "Usage: deploy"] }],
    ["donations prod --reason “never closed", slack(), { error: "bad_command", says: ["unterminated quote", "Usage: `/deploy"] }],
  ];
  it.each(cases)("%j", (...c) => runCase(c));
});

describe("parseCommand: mistakes get a next step", () => {
  const cases: Case[] = [
    ["deplyo donations prod", api(), { error: "bad_command", says: ['unknown command "deplyo" — did you mean "deploy"?', "Commands: deploy, rollback"] }],
    ["rollbak donations prod", api(), { error: "bad_command", says: ['did you mean "rollback"?'] }],
    ["frobnicate", api(), { error: "bad_command", says: ['unknown command "frobnicate"', "help explains them"] }],
    ["donations prod", api(), { error: "bad_command", says: ['unknown command "donations"'] }],
    ["lokc donations prod", slack(), { error: "bad_command", says: ['did you mean "lock"?', "/deploy help"] }],
    ["deploy donatoins prod", api(), { error: "unknown_service", says: ['unknown service "donatoins" — did you mean "donations"?', "Usage: deploy"] }],
    ["donatoins prod", slack(), { error: "unknown_service", says: ['did you mean "donations"?'] }],
    ["deploy payments prod", api(), { error: "unknown_service", says: ["known services: donations, donations-worker, events, mailer"] }],
    ["deploy donations prdo", api(), { error: "unknown_environment", says: ['unknown environment "prdo" — did you mean "prod"?'] }],
    ["deploy donations qa", api(), { error: "unknown_environment", says: ["known environments: prod, staging"] }],
    ["deploys donatoins", api(), { error: "unknown_service", says: ['did you mean "donations"?'] }],
    ["deploys stagin", api(), { error: "unknown_environment", says: ['did you mean "staging"?'] }],
    ["deploys donations stagin", api(), { error: "unknown_environment", says: ['did you mean "staging"?'] }],
    ["windows qa", api(), { error: "unknown_environment" }],
    ["deploy all prod", api(), { error: "unknown_service", says: ['"all" works only with lock and unlock'] }],
    ["deploy donations all", api(), { error: "unknown_environment", says: ['"all" works only with lock and unlock'] }],
    ["cancel all prod", api(), { error: "unknown_service" }],
    ["deploy donations", api(), { error: "bad_command", says: ["missing the environment (staging, prod)"] }],
    ["deploy prod", api(), { error: "bad_command", says: ['"prod" is an environment — name the service first'] }],
    ["rollback donations", api(), { error: "bad_command", says: ["missing the environment", "Usage: rollback <service> <env>"] }],
    ["lock", api(), { error: "bad_command", says: ["missing the service and environment"] }],
    ["deploy donations prod main now", api(), { error: "bad_command", says: ['did not understand "now"', "Usage: deploy <service> [to] <env> [<ref>]"] }],
    ["cancel donations prod please", api(), { error: "bad_command", says: ['did not understand "please"'] }],
    ["rollback donations prod 1a2b3c4", api(), { error: "bad_command", says: ['did not understand "1a2b3c4"', "[to <deploy-id|sha>]"] }],
    ["rollback donations prod to", api(), { error: "bad_command", says: ['missing the deploy id or sha after "to"'] }],
    ["rollback donations prod to not/a/deploy", api(), { error: "bad_ref", says: ["is not a deploy id or sha"] }],
  ];
  it.each(cases)("%j", (...c) => runCase(c));

  it("refuses a command over 4,096 characters before reading it, on every surface", () => {
    const reason = "x".repeat(4100);
    for (const [text, context] of [[`deploy donations prod --reason ${reason}`, api()], [`donations prod --reason ${reason}`, slack()], [`/deploy staging --reason ${reason}\nmore`, github()]] as const) {
      runCase([text, context, { error: "bad_command", says: [`characters long; commands are at most 4,096`] }]);
    }
    // At the limit it is still a command; only the first line of a GitHub comment counts.
    const atLimit = `deploy donations prod --reason ${"x".repeat(4096 - 31)}`;
    expect(atLimit).toHaveLength(4096);
    expect(parseCommand(atLimit, api()).kind).toBe("command");
    expect(parseCommand(`/deploy staging\n${reason}`, github()).kind).toBe("command");
  });
});

describe("parseCommand: refs", () => {
  const good = ["main", "v1.2.3", "feature/new-form", "renovate/@types-node-20.x", "abc1234", SHA, "release-2026.03"];
  const bad = ["feature..x", "foo~1", "HEAD^", "a:b", "what?", "x*", "a[1]", "back\\slash", "/leading", "trailing/", "ends.", "x.lock", "a//b", ".hidden", "dir/.hidden", "@", "a@{1}", "x".repeat(256), "tab\there", "bell\u0007"];
  it.each(good)("accepts %j", (ref) => {
    expect(parseCommand(`deploy donations prod ${ref}`, api())).toEqual({ kind: "command", ...deploy("donations", "prod", { ref }) });
  });
  it.each(bad)("refuses %j as bad_ref", (ref) => {
    const result = parseCommand(`deploy donations prod "${ref}"`, api());
    expect(result).toMatchObject({ kind: "reply", reply: { type: "error", reasonCode: "bad_ref" } });
  });
  it("refuses a ref with a space", () => {
    expect(parseCommand('deploy donations prod "two words"', api())).toMatchObject({ reply: { reasonCode: "bad_ref", message: expect.stringContaining("is not a valid branch, tag or sha") } });
  });
  it("reads a ref that starts with a dash as a flag", () => {
    expect(parseCommand("deploy donations prod -main", api())).toMatchObject({ reply: { reasonCode: "bad_command", message: expect.stringContaining("unknown flag -main") } });
  });
});

describe("suggestions", () => {
  it("counts a swap of neighbours as one edit", () => {
    expect(editDistance("donatoins", "donations")).toBe(1);
    expect(editDistance("deplyo", "deploy")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
  });
  it("suggests only close names", () => {
    expect(suggestName("donatoins", ["donations", "events"])).toBe("donations");
    expect(suggestName("prd", ["prod", "staging"])).toBe("prod");
    expect(suggestName("stag", ["prod", "staging"])).toBe("staging");
    expect(suggestName("payments", ["donations", "events"])).toBeUndefined();
    expect(suggestName("qa", ["prod", "staging"])).toBeUndefined();
    expect(suggestName("x".repeat(1000), ["x"])).toBeUndefined();
  });
});

describe("help text per surface", () => {
  const helpOf = (context: ReturnType<typeof api>) => {
    const result = parseCommand("/help", context);
    return result.kind === "reply" && result.reply.type === "help" ? result.reply.text : "";
  };
  it("uses chat syntax in chat and plain text for the CLI", () => {
    expect(helpOf(slack())).toContain("`/lock <service|all> <env|all>");
    expect(helpOf(github())).toContain("`/deploy staging`");
    expect(helpOf(api())).not.toContain("`");
    expect(helpOf(api())).toContain("deploy donations prod");
  });
  it("is plain text on the dashboard too: a web page would print the backticks", () => {
    const dashboard = api({ surface: "dashboard" });
    expect(helpOf(dashboard)).not.toContain("`");
    expect(helpOf(dashboard)).toContain("lock <service|all> <env|all>");
    const unknown = parseCommand("frobnicate", dashboard);
    expect(unknown.kind === "reply" && unknown.reply.type === "error" ? unknown.reply.message : "").toMatch(/— help explains them$/);
  });
  it("stays short enough for a chat reply", () => {
    for (const context of [slack(), github(), api()]) expect(helpOf(context).split("\n").length).toBeLessThanOrEqual(12);
  });
});
