import { type Case, api, github, runCase, slack } from "./parse-command-fixtures.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("diff <service> <env> [<ref>] and status <service>", () => {
  const cases: Case[] = [
    ["diff donations prod", api(), { command: { verb: "diff", service: "donations", env: "prod" } }],
    ["diff donations to prod v1.2.3", api(), { command: { verb: "diff", service: "donations", env: "prod", ref: "v1.2.3" } }],
    [`Diff Donations STAGING ${SHA}`, api(), { command: { verb: "diff", service: "donations", env: "staging", ref: SHA } }],
    ["diff donations staging feature/new-form", slack(), { command: { verb: "diff", service: "donations", env: "staging", ref: "feature/new-form" } }],
    ["/diff staging", github(), { command: { verb: "diff", service: "donations", env: "staging" } }],
    ["/diff mailer prod main", github(), { command: { verb: "diff", service: "mailer", env: "prod", ref: "main" } }],
    ["status donations", api(), { command: { verb: "status", service: "donations" } }],
    ["status donations-worker", slack(), { command: { verb: "status", service: "donations-worker" } }],
    ["status donations", slack({ defaultVerb: "rollback" }), { command: { verb: "status", service: "donations" } }],
    ["/status", github(), { command: { verb: "status", service: "donations" } }],
    ["/status mailer", github(), { command: { verb: "status", service: "mailer" } }],

    // Typos get suggestions, whether in the verb, the service or the environment.
    ["dif donations prod", slack(), { error: "bad_command", says: ['unknown command "dif" — did you mean "diff"?'] }],
    ["statsu donations", slack(), { error: "bad_command", says: ['unknown command "statsu" — did you mean "status"?'] }],
    ["stauts donations", api(), { error: "bad_command", says: ['did you mean "status"?'] }],
    ["diff donatoins prod", api(), { error: "unknown_service", says: ['unknown service "donatoins" — did you mean "donations"?'] }],
    ["diff donations prdo", api(), { error: "unknown_environment", says: ['did you mean "prod"?'] }],
    ["status donatoins", slack(), { error: "unknown_service", says: ['did you mean "donations"?', "Usage: `/deploy status <service>`"] }],

    // Bad input: a usage error, never a guess.
    ["diff", api(), { error: "bad_command", says: ["missing the service and environment", "Usage: diff <service> <env> [<ref>]"] }],
    ["diff donations", api(), { error: "bad_command", says: ["missing the environment (staging, prod)"] }],
    ["diff prod donations", api(), { error: "bad_command", says: ['"prod" is an environment — name the service first'] }],
    ["diff donations prod main extra", api(), { error: "bad_command", says: ['did not understand "extra"'] }],
    ["diff donations prod ..bad", api(), { error: "bad_ref", says: ['"..bad" is not a valid branch, tag or sha'] }],
    ["diff donations prod --yes", api(), { error: "bad_command", says: ["--yes does not apply to diff"] }],
    ["diff donations prod --force --reason x", api(), { error: "bad_command", says: ["does not apply to diff"] }],
    ["diff all prod", api(), { error: "unknown_service", says: ['"all" works only with lock and unlock'] }],
    ["status", api(), { error: "bad_command", says: ["missing the service", "Usage: status <service>"] }],
    ["status", slack(), { error: "bad_command", says: ["Usage: `/deploy status <service>`"] }],
    ["status donations prod", api(), { error: "bad_command", says: ['status shows every environment of donations: leave out "prod"'] }],
    ["status donations extra", api(), { error: "bad_command", says: ['did not understand "extra"'] }],
    ["status all", api(), { error: "unknown_service", says: ['"all" works only with lock and unlock'] }],
    ["status donations --json", api(), { error: "bad_command", says: ["status"] }],
    ['status "donations', api(), { error: "bad_command", says: ["Usage: status <service>"] }],
  ];
  it.each(cases)("%j", (...c) => runCase(c));

  it("help lists both, in each surface's syntax", () => {
    runCase(["help", slack(), { help: ["/deploy diff <service> <env> [<ref>]", "/deploy status <service>"] }]);
    runCase(["/help", github(), { help: ["/diff [<service>] <env> [<ref>]", "/status [<service>]"] }]);
    runCase(["help", api(), { help: ["diff <service> <env> [<ref>] · status <service> — what a deploy would ship", "each environment of a service"] }]);
  });
});
