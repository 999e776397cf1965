import { apiActor, coreHarness, githubActor, testConfig } from "./harness.js";

/** The core's side of the audit API and of what gets audited: admins only, filters, paging, failures. */
describe("the audit log in the core", () => {
  test("a refusal by failure (internal_error) is still audited", async () => {
    const h = coreHarness();
    h.sourceControl.resolveRef = async () => {
      throw new Error("GitHub answered 500");
    };
    const result = await h.deploy("donations", "staging", { ref: "main" });
    expect(result).toMatchObject({ outcome: "refused", reasonCode: "internal_error" });
    expect(await h.store.queryAudit({ limit: 5 })).toEqual([
      expect.objectContaining({ actor: "api:ci", actorKey: "api:ci", action: "deploy", service: "donations", env: "staging", outcome: "refused", reasonCode: "internal_error" }),
    ]);
  });

  test("only admins read it; a team admin is found through GitHub; a bad filter is invalid, not an empty page", async () => {
    const h = coreHarness(testConfig({ admins: ["sre-sam", "@hfa/sre"] }));
    await h.deploy("donations", "staging");
    expect(await h.service.readAudit({}, githubActor("mallory"))).toMatchObject({ kind: "forbidden", message: expect.stringContaining("mallory is not one (admins: sre-sam, @hfa/sre)") });
    h.identity.teams["@hfa/sre"] = ["tess"];
    expect(await h.service.readAudit({}, githubActor("tess"))).toMatchObject({ kind: "page", entries: [expect.objectContaining({ action: "deploy" })], next: null });
    // An API client named like an admin is not one: clients are api:<name>, never a login.
    expect(await h.service.readAudit({}, apiActor("sre-sam"))).toMatchObject({ kind: "forbidden", message: expect.stringContaining("api:sre-sam is not one") });
    expect(await h.service.readAudit({ env: "prdo" }, githubActor("sre-sam"))).toEqual({ kind: "invalid", message: expect.stringContaining('unknown env "prdo" — did you mean "prod"?') });
  });

  test("since takes a duration back from the injected clock or a time in the config's zone; actor is matched however it is typed", async () => {
    const h = coreHarness();
    await h.deploy("donations", "staging", {}, { actor: githubActor("Alice") });
    await h.time.advance(3 * 3_600_000);
    await h.deploy("events", "staging", {}, { actor: githubActor("bob") });
    const admin = githubActor("sre-sam");
    const services = async (filters: Record<string, string>) => {
      const answer = await h.service.readAudit(filters, admin);
      if (answer.kind !== "page") throw new Error(answer.message);
      return answer.entries.map((e) => e.service);
    };
    expect(await services({ since: "2h" })).toEqual(["events"]);
    expect(await services({ since: "4h" })).toEqual(["events", "donations"]);
    // 2026-11-27 10:30 in New York is 15:30Z: after the first deploy (15:00Z), before the second (18:00Z).
    expect(await services({ since: "2026-11-27T10:30" })).toEqual(["events"]);
    expect(await services({ actor: "@ALICE" })).toEqual(["donations"]);
  });

  test("pages: next is the cursor of the page after, null on the last", async () => {
    const h = coreHarness();
    for (const env of ["staging", "prod", "staging"]) await h.run({ verb: "deploys", service: "donations", env });
    const admin = githubActor("sre-sam");
    const first = await h.service.readAudit({ limit: "2" }, admin);
    if (first.kind !== "page") throw new Error("expected a page");
    expect(first.entries).toHaveLength(2);
    const second = await h.service.readAudit({ limit: "2", cursor: first.next! }, admin);
    expect(second).toMatchObject({ kind: "page", entries: [expect.objectContaining({ env: "staging" })], next: null });
  });

  test("a protection rule is rejected when its answer cannot be audited, and when the locks cannot be read", async () => {
    const h = coreHarness(testConfig());
    const request = { repo: "hfa/donations", githubEnvironment: "staging" };
    expect(await h.service.reviewProtectionRule(request)).toMatchObject({ state: "approved" });
    h.store.appendAudit = async () => {
      throw new Error("disk full");
    };
    expect(await h.service.reviewProtectionRule(request)).toMatchObject({ state: "rejected", basis: "store_unavailable", comment: expect.stringContaining("could not record its decision") });
    h.store.down = true;
    expect(await h.service.reviewProtectionRule(request)).toMatchObject({ state: "rejected", basis: "store_unavailable", comment: expect.stringContaining("could not read its locks") });
  });
});
