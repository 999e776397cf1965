import { DEFAULT_TIMEOUT_MS, parseBooleanInput, parseServerUrl, parseTimeoutInput, readActionInputs, readInput } from "../../src/action/action-inputs.js";
import { buildCommandText } from "../../src/action/build-command-text.js";
import { tokenizeCommand } from "../../src/core/commands/tokenize-command.js";

const base = {
  INPUT_SERVICE: "donations",
  INPUT_ENVIRONMENT: "staging",
  "INPUT_SERVER-URL": "https://whistlestop.example.org/",
  INPUT_TOKEN: "secret-token",
};

describe("reading inputs the way the runner passes them", () => {
  test("INPUT_<NAME>: upper case, spaces become underscores, hyphens stay; values are trimmed", () => {
    const env = { "INPUT_SERVER-URL": " https://x.example ", INPUT_MY_INPUT: "a", INPUT_REF: "" };
    expect(readInput(env, "server-url")).toBe("https://x.example");
    expect(readInput(env, "my input")).toBe("a");
    expect(readInput(env, "ref")).toBe("");
    expect(readInput(env, "absent")).toBe("");
  });

  test("defaults: command deploy, wait true, timeout 60m; the server URL loses its trailing slash", () => {
    const result = readActionInputs(base);
    expect(result).toEqual({
      ok: true,
      inputs: { command: "deploy", service: "donations", environment: "staging", serverUrl: "https://whistlestop.example.org", token: "secret-token", wait: true, timeoutMs: DEFAULT_TIMEOUT_MS },
    });
  });

  test("approve and reject name a deploy by deploy-id instead of a service and an environment", () => {
    const { INPUT_SERVICE: _s, INPUT_ENVIRONMENT: _e, ...noTarget } = base as Record<string, string>;
    expect(readActionInputs({ ...noTarget, INPUT_COMMAND: "approve", "INPUT_DEPLOY-ID": "d-mk2x-0a1b" })).toMatchObject({ ok: true, inputs: { command: "approve", service: "", environment: "", deployId: "d-mk2x-0a1b" } });
    expect(readActionInputs({ ...noTarget, INPUT_COMMAND: "reject" })).toEqual({ ok: false, message: 'Input "deploy-id" is required.' });
    expect(readActionInputs({ ...noTarget, INPUT_COMMAND: "approve", "INPUT_DEPLOY-ID": "d 1" })).toMatchObject({ ok: false, message: expect.stringContaining('Input "deploy-id" must be a deploy id') });
    expect(readActionInputs({ ...base, "INPUT_DEPLOY-ID": "d-1" })).toMatchObject({ ok: false, message: 'Input "deploy-id" applies to approve and reject only, not deploy.' });
  });

  test("every problem is reported at once, naming the input", () => {
    const result = readActionInputs({ INPUT_COMMAND: "ship", INPUT_SERVICE: "dona tions", INPUT_WAIT: "yes", INPUT_TIMEOUT: "soon", "INPUT_SERVER-URL": "ftp://x" });
    expect(result.ok).toBe(false);
    const message = result.ok ? "" : result.message;
    for (const part of ['"command" must be one of deploy, rollback, lock, unlock, check, cancel', '"service" must be a name', '"environment" is required', '"wait" must be true or false', '"timeout" must be a duration', '"server-url" must be the http(s) URL', '"token" is required']) {
      expect(message).toContain(part);
    }
  });

  test("status shows every environment: it needs none, and refuses one rather than ignore it", () => {
    const { INPUT_ENVIRONMENT: _env, ...noEnv } = base;
    expect(readActionInputs({ ...noEnv, INPUT_COMMAND: "status" })).toMatchObject({ ok: true, inputs: { command: "status", environment: "" } });
    expect(readActionInputs({ ...base, INPUT_COMMAND: "status" })).toEqual({ ok: false, message: expect.stringContaining('Input "environment" does not apply to status') });
    expect(readActionInputs({ ...noEnv, INPUT_COMMAND: "diff" })).toEqual({ ok: false, message: expect.stringContaining('Input "environment" is required') });
  });

  test("a ref cannot smuggle in flags or extra words", () => {
    for (const ref of ["--force", "main --force", 'v1"', "-x"]) {
      expect(readActionInputs({ ...base, INPUT_REF: ref })).toMatchObject({ ok: false, message: expect.stringContaining('"ref"') });
    }
    expect(readActionInputs({ ...base, INPUT_REF: "release/2026-10" })).toMatchObject({ ok: true, inputs: { ref: "release/2026-10" } });
  });

  test.each([
    ["", true],
    ["true", true],
    ["True", true],
    ["FALSE", false],
    ["false", false],
  ])("wait %p → %p", (raw, expected) => {
    expect(parseBooleanInput("wait", raw, true)).toBe(expected);
  });

  test.each([
    ["", DEFAULT_TIMEOUT_MS],
    ["30m", 30 * 60_000],
    ["1h30m", 90 * 60_000],
    ["90s", 90_000],
    ["45", 45 * 60_000],
  ])("timeout %p → %p ms", (raw, ms) => {
    expect(parseTimeoutInput(raw)).toBe(ms);
  });

  test("server URLs: http(s) only, no credentials, no query", () => {
    expect(parseServerUrl("https://w.example.org/base/?x=1#y")).toBe("https://w.example.org/base");
    expect(parseServerUrl("https://user:pw@w.example.org")).toBeUndefined();
    expect(parseServerUrl("w.example.org")).toBeUndefined();
  });
});

describe("the command text sent to the server", () => {
  const inputs = (env: Record<string, string>) => {
    const result = readActionInputs({ ...base, ...env });
    if (!result.ok) throw new Error(result.message);
    return result.inputs;
  };
  const sha = "0123456789abcdef0123456789abcdef01234567";

  test.each([
    [{ INPUT_COMMAND: "deploy" }, `deploy donations staging ${sha} --yes`],
    [{ INPUT_COMMAND: "deploy", INPUT_REF: "main" }, "deploy donations staging main --yes"],
    [{ INPUT_COMMAND: "check" }, `deploy donations staging ${sha}`],
    [{ INPUT_COMMAND: "rollback" }, "rollback donations staging --yes"],
    [{ INPUT_COMMAND: "rollback", INPUT_REF: "abc1234" }, "rollback donations staging to abc1234 --yes"],
    [{ INPUT_COMMAND: "lock", INPUT_REASON: "debate prep" }, 'lock donations staging --reason "debate prep"'],
    [{ INPUT_COMMAND: "unlock", INPUT_REASON: "ignored" }, "unlock donations staging"],
    [{ INPUT_COMMAND: "cancel" }, "cancel donations staging"],
    [{ INPUT_COMMAND: "diff" }, `diff donations staging ${sha}`],
    [{ INPUT_COMMAND: "diff", INPUT_REF: "main", INPUT_REASON: "ignored" }, "diff donations staging main"],
    [{ INPUT_COMMAND: "status", INPUT_ENVIRONMENT: "" }, "status donations"],
  ])("%p → %p", (env, text) => {
    expect(buildCommandText(inputs(env), sha)).toEqual({ ok: true, text });
  });

  test("without github.sha a deploy leaves the ref to the server's default", () => {
    expect(buildCommandText(inputs({}), undefined)).toEqual({ ok: true, text: "deploy donations staging --yes" });
  });

  test("a reason is one quoted word whatever it contains, and multi-line reasons become one line", () => {
    for (const reason of ["--force", "it's broken", 'say "hi" now', "for 2h", "line one\nline two"]) {
      const built = buildCommandText(inputs({ INPUT_COMMAND: "lock", INPUT_REASON: reason }), sha);
      if (!built.ok) throw new Error(built.message);
      const tokens = tokenizeCommand(built.text);
      expect(tokens.ok && tokens.tokens.at(-1)).toEqual({ text: reason.replace(/\s+/g, " "), quoted: true });
    }
  });
});
