import { verifySlackSignature } from "../../src/adapters/slack/verify-slack-signature.js";
import { sign } from "./slack-requests.js";

// The worked example from Slack's "Verifying requests from Slack" documentation.
const DOC_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const DOC_TIMESTAMP = "1531420618";
const DOC_BODY =
  "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const DOC_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
const DOC_NOW_MS = Number(DOC_TIMESTAMP) * 1000;

const check = (overrides: Partial<Parameters<typeof verifySlackSignature>[0]> = {}) =>
  verifySlackSignature({ signingSecret: DOC_SECRET, rawBody: Buffer.from(DOC_BODY), timestamp: DOC_TIMESTAMP, signature: DOC_SIGNATURE, nowMs: DOC_NOW_MS, ...overrides });

describe("verifySlackSignature (pure, with a fixed clock)", () => {
  test("accepts Slack's documented example", () => {
    expect(check()).toEqual({ ok: true });
  });

  test.each([
    ["exactly 300 s later", 300_000, true],
    ["300.9 s later (same whole second count)", 300_900, true],
    ["301 s later", 301_000, false],
    ["301 s earlier (a clock ahead of ours)", -301_000, false],
    ["299 s earlier", -299_000, true],
  ])("the five-minute window: %s → ok=%s", (_label, offsetMs, ok) => {
    expect(check({ nowMs: DOC_NOW_MS + offsetMs }).ok).toBe(ok);
  });

  test("a body changed by one byte fails", () => {
    expect(check({ rawBody: DOC_BODY.replace("roadrunner", "roadrunnex") })).toEqual({ ok: false, reason: "signature does not match" });
  });

  test("another signing secret fails", () => {
    expect(check({ signingSecret: "another-secret" }).ok).toBe(false);
  });

  test("a timestamp that was not the signed one fails, even inside the window", () => {
    expect(check({ timestamp: String(Number(DOC_TIMESTAMP) + 1) }).ok).toBe(false);
  });

  test.each([
    ["no timestamp", { timestamp: undefined }],
    ["a non-numeric timestamp", { timestamp: "12e3" }],
    ["no signature", { signature: undefined }],
    ["a v1 signature", { signature: DOC_SIGNATURE.replace("v0=", "v1=") }],
    ["a truncated signature", { signature: DOC_SIGNATURE.slice(0, 20) }],
    ["an upper-cased signature", { signature: DOC_SIGNATURE.toUpperCase().replace("V0=", "v0=") }],
  ])("%s fails without throwing", (_label, overrides) => {
    expect(check(overrides).ok).toBe(false);
  });

  test("agrees with the tests' own signer on arbitrary bodies (UTF-8 included)", () => {
    const body = "text=deploy%20donations%20prod%20%E2%80%94%20%C3%A9t%C3%A9";
    const ts = 1_700_000_000;
    expect(verifySlackSignature({ signingSecret: "s3cret", rawBody: Buffer.from(body), timestamp: String(ts), signature: sign(body, ts, "s3cret"), nowMs: ts * 1000 }).ok).toBe(true);
  });
});
