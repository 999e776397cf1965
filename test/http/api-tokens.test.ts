import { ApiTokensError, findApiToken, parseApiTokens } from "../../src/adapters/http/api-tokens.js";

const A = "a".repeat(32);
const B = "b".repeat(32);

describe("parseApiTokens", () => {
  it("reads name:token pairs, ignoring blanks and surrounding spaces", () => {
    expect(parseApiTokens(` ci:${A} , release-bot:${B},`)).toEqual([
      { name: "ci", token: A },
      { name: "release-bot", token: B },
    ]);
  });

  it("keeps colons inside the token", () => {
    expect(parseApiTokens(`ci:${A}:x`)).toEqual([{ name: "ci", token: `${A}:x` }]);
  });

  it.each([undefined, "", "  ,  "])("treats %j as no tokens", (text) => {
    expect(parseApiTokens(text)).toEqual([]);
  });

  it("lists every problem without quoting a token", () => {
    let error: unknown;
    try {
      parseApiTokens(`missing-colon,ci:short-secret,:${A},bad name:${B},ci2:${A},ci2:${"c".repeat(20)},dup:${A}`);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ApiTokensError);
    const problems = (error as ApiTokensError).problems;
    expect(problems).toEqual([
      'entry 1: expected name:token (no ":" found)',
      "entry 2 (ci): the token must be at least 16 characters; generate one with `openssl rand -hex 32`",
      expect.stringMatching(/^entry 3: the name must be/),
      expect.stringMatching(/^entry 4: the name must be/),
      'entry 6: the name "ci2" is used twice',
      "entry 7 (dup): the same token is given to two names",
    ]);
    expect((error as Error).message).not.toContain("short-secret");
    expect((error as Error).message).not.toContain(A);
  });
});

describe("findApiToken", () => {
  const tokens = parseApiTokens(`ci:${A},release-bot:${B}`);
  it("finds the token's owner", () => {
    expect(findApiToken(tokens, B)?.name).toBe("release-bot");
  });
  it.each(["", A.slice(1), `${A}x`, A.toUpperCase()])("finds nobody for %j", (presented) => {
    expect(findApiToken(tokens, presented)).toBeUndefined();
  });
});
