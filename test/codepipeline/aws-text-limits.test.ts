import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { limitStopReason, sanitizeTransitionReason } from "../../src/adapters/codepipeline/aws-text-limits.js";

describe("sanitizeTransitionReason", () => {
  it("keeps readable text within CodePipeline's character set", () => {
    expect(sanitizeTransitionReason("Election night: prod frozen (window) — 18:00/06:00")).toBe("Election night prod frozen (window) 18 00-06 00");
    expect(sanitizeTransitionReason("lock by @alice: débat_prep!")).toBe("lock by @alice debat-prep!");
    expect(sanitizeTransitionReason("🎉🎉")).toBe("Disabled by Whistlestop");
  });

  it("always matches the pattern and the 300-character limit", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 600 }), (reason) => {
        const clean = sanitizeTransitionReason(reason);
        expect(clean).toMatch(/^[a-zA-Z0-9!@ ().*?-]{1,300}$/);
      }),
    );
  });
});

describe("limitStopReason", () => {
  it("cuts to 200 UTF-16 units without splitting a character", () => {
    const cut = limitStopReason("🚀".repeat(150));
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(cut.endsWith("🚀...")).toBe(true);
    expect(limitStopReason("short")).toBe("short");
  });
});
