import { quoteWord, toCommandText } from "../../src/cli/command-text.js";
import { parseCliArgs } from "../../src/cli/parse-cli-args.js";
import { tokenizeCommand } from "../../src/core/commands/tokenize-command.js";

const textOf = (args: string[]) => {
  const parsed = parseCliArgs(args);
  if (!parsed.ok || parsed.invocation.kind !== "command") throw new Error(`not a command: ${JSON.stringify(parsed)}`);
  return parsed.invocation.text;
};

describe("argument words → command text", () => {
  it.each([
    [["deploy", "donations", "staging"], "deploy donations staging"],
    [["deploy", "donations", "to", "prod", "v1.2.3", "--yes"], "deploy donations to prod v1.2.3 --yes"],
    [["lock", "donations", "prod", "--reason", "debate prep"], 'lock donations prod --reason "debate prep"'],
    [["lock", "donations", "prod", "--reason=debate prep"], 'lock donations prod --reason "debate prep"'],
    [["lock", "all", "prod", "for", "2h", "results night"], 'lock all prod for 2h "results night"'],
    [["lock", "donations", "prod", "--reason", "--force was needed"], 'lock donations prod --reason "--force was needed"'],
    [["lock", "donations", "prod", "--reason", "-x"], 'lock donations prod --reason "-x"'],
    [["lock", "donations", "prod", "it's", "broken"], "lock donations prod it's broken"],
    [["lock", "donations", "prod", "--reason", 'say "hi" now'], `lock donations prod --reason 'say "hi" now'`],
    [["rollback", "donations", "prod", "-y"], "rollback donations prod -y"],
    [["deploys"], "deploys"],
    [["approve", "d-mk2x-0a1b2c3d4e"], "approve d-mk2x-0a1b2c3d4e"],
    [["reject", "d-1", "--reason", "not during the rally"], 'reject d-1 --reason "not during the rally"'],
    [["help"], "help"],
  ])("%j → %s", (args, text) => expect(textOf(args)).toBe(text));

  it("quotes so that the server's tokenizer reads every word back unchanged", () => {
    for (const word of ["plain", "two words", "it's", "'leading", '"leading', 'mid"quote', "tab\there", "", "  ", "“smart”", "--flag"]) {
      const quoted = quoteWord(word);
      expect(quoted).toBeDefined();
      const parsed = tokenizeCommand(`x ${quoted}`);
      expect(parsed).toEqual({ ok: true, tokens: [{ text: "x", quoted: false }, expect.objectContaining({ text: word })] });
    }
  });

  it("refuses a word no quoting can carry", () => {
    expect(toCommandText("lock", ["a\" b' c"])).toEqual({ ok: false, message: expect.stringContaining("both kinds of quotes") });
  });
});

describe("CLI options", () => {
  it("takes its own options from anywhere on the line and leaves the command's flags in place", () => {
    const parsed = parseCliArgs(["--server", "http://ws:3000", "deploy", "--json", "donations", "--force", "prod", "--token=t0k", "--no-follow"]);
    expect(parsed).toEqual({
      ok: true,
      invocation: { kind: "command", verb: "deploy", text: "deploy donations --force prod" },
      flags: { server: "http://ws:3000", token: "t0k", json: true, follow: false, help: false },
    });
  });

  it("follows deploys by default, status only with --follow", () => {
    expect(parseCliArgs(["deploy", "donations", "staging"])).toMatchObject({ ok: true, flags: { follow: true } });
    expect(parseCliArgs(["status", "d-42"])).toMatchObject({ ok: true, invocation: { kind: "status", deployId: "d-42" }, flags: { follow: false } });
    expect(parseCliArgs(["status", "d-42", "--follow"])).toMatchObject({ ok: true, flags: { follow: true } });
  });

  it("sends diff, and status of a service, as commands; a word starting with d- is a deploy id", () => {
    expect(parseCliArgs(["diff", "donations", "prod", "v1.2.3", "--json"])).toEqual({
      ok: true,
      invocation: { kind: "command", verb: "diff", text: "diff donations prod v1.2.3" },
      flags: { json: true, follow: true, help: false },
    });
    expect(parseCliArgs(["status", "donations"])).toMatchObject({ ok: true, invocation: { kind: "command", verb: "status", text: "status donations" } });
    expect(parseCliArgs(["status", "d-mwyh2032-13e0a7022b"])).toMatchObject({ ok: true, invocation: { kind: "status", deployId: "d-mwyh2032-13e0a7022b" } });
  });

  it("passes words after -- through even when they look like CLI options", () => {
    expect(textOf(["lock", "donations", "prod", "--", "--reason", "--json"])).toBe('lock donations prod --reason "--json"');
  });

  it("parses the server-side subcommands", () => {
    expect(parseCliArgs(["config", "check", "other.yml"])).toMatchObject({ ok: true, invocation: { kind: "config-check", file: "other.yml" } });
    expect(parseCliArgs(["config", "check"])).toMatchObject({ ok: true, invocation: { kind: "config-check" } });
    expect(parseCliArgs(["start"])).toMatchObject({ ok: true, invocation: { kind: "start" } });
    expect(parseCliArgs(["sandbox"])).toMatchObject({ ok: true, invocation: { kind: "sandbox" } });
    expect(parseCliArgs(["emulator"])).toMatchObject({ ok: true, invocation: { kind: "emulator" } });
    expect(parseCliArgs([])).toMatchObject({ ok: true, invocation: { kind: "usage" }, flags: { help: false } });
    expect(parseCliArgs(["deploy", "--help"])).toMatchObject({ ok: true, invocation: { kind: "usage" }, flags: { help: true } });
  });

  it.each([
    [["deplyo", "donations"], 'unknown command "deplyo" — did you mean "deploy"?'],
    [["deploy", "--server"], "--server needs a value"],
    [["deploys", "--json=yes"], "--json takes no value"],
    [["status"], "usage: whistlestop status <service>"],
    [["status"], "whistlestop status <deploy-id> [--follow]"],
    [["status", "d-not an id"], "is not a deploy id"],
    [["status", "donations", "prod"], "usage: whistlestop status <service>"],
    [["status", "donations", "--follow"], '--follow follows one deploy: give its id (d-…), not "donations"'],
    [["dif", "donations", "prod"], 'did you mean "diff"?'],
    [["statsu", "donations"], 'did you mean "status"?'],
    [["config", "lint"], "usage: whistlestop config check [file]"],
    [["start", "now"], "takes no arguments"],
    [["sandbox", "--yes"], '"whistlestop sandbox" takes no arguments'],
    [["sandbx"], 'did you mean "sandbox"?'],
  ])("refuses %j with a usage message", (args, message) => {
    const parsed = parseCliArgs(args);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });
});
