import type { DiffView, StatusView } from "../../src/core/commands/command-result.js";
import type { ComparedCommit, Comparison } from "../../src/core/ports/source-control.js";
import { sha } from "../fakes/fakes.js";
import { aSlackActor, anApiActor } from "../kit/builders.js";
import { coreHarness, denyWindow, githubActor, testConfig } from "./harness.js";

const squash = (n: number): ComparedCommit => ({ sha: `c${n}`, message: `Change number ${n} (#${n})`, author: `dev${n}`, parents: [] });
const compared = (count: number): Comparison => ({
  kind: "compared",
  status: "ahead",
  aheadBy: count,
  behindBy: 0,
  commits: Array.from({ length: count }, (_, i) => squash(i + 1)),
  url: "https://github.com/hfa/donations/compare/1111111...2222222",
});

/** The harness with a GitHub compare answering from a table keyed "base...head", counting its calls. */
function withCompare(h: ReturnType<typeof coreHarness>) {
  const table = new Map<string, Comparison>();
  const calls: string[] = [];
  Object.assign(h.sourceControl, {
    compare: async (_repo: string, base: string, head: string): Promise<Comparison> => {
      calls.push(`${base.slice(0, 1)}...${head.slice(0, 1)}`);
      const answer = table.get(`${base}...${head}`);
      if (!answer) throw new Error("no such comparison");
      return answer;
    },
  });
  return { table, calls };
}

/** Deploy and let the fake pipeline succeed, so it is the live release. */
async function ship(h: ReturnType<typeof coreHarness>, env: string, ref: string, context = {}): Promise<string> {
  const result = await h.deploy("donations", env, { ref }, context);
  const record = result.record!;
  h.pipeline.finish(record.executionId!, "Succeeded");
  await h.pollAll();
  return record.id;
}

/** What a read may not change: deploys, pipeline starts, audit entries. */
async function footprint(h: ReturnType<typeof coreHarness>) {
  return { deploys: (await h.store.listDeploys({ limit: 1000 })).length, starts: h.pipeline.startCalls().length, audit: h.store.audit.length };
}

describe("diff <service> <env> [<ref>]", () => {
  test("a promotion: what staging has that prod has not, 10 PRs listed, the compare link, a yes from the policies — and nothing stored", async () => {
    const h = coreHarness();
    const { table, calls } = withCompare(h);
    await ship(h, "staging", sha("1"));
    const prodLive = await ship(h, "prod", sha("1"));
    await ship(h, "staging", sha("2"));
    table.set(`${sha("1")}...${sha("2")}`, compared(12));
    const before = await footprint(h);

    const result = await h.service.runText("diff donations prod", { actor: anApiActor() });

    expect(result.outcome).toBe("done");
    const diff = (result as { diff: DiffView }).diff;
    expect(diff).toMatchObject({
      service: "donations",
      env: "prod",
      sha: sha("2"),
      ref: "live in staging",
      live: { deployId: prodLive, sha: sha("1"), actor: "api:ci" },
      changeSet: { status: "listed", direction: "ships", baseSha: sha("1"), headSha: sha("2"), commitCount: 12, pullCount: 12, summary: "Ships 12 commits and 12 merged PRs since 1111111." },
      deployable: true,
      confirm: true,
    });
    expect(diff.changeSet.pulls.map((p) => p.number)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    expect(diff.reasonCode).toBeUndefined();
    const message = (result as { message: string }).message;
    expect(message).toContain("donations/prod: a deploy would put 2222222 (live in staging) live; live there: 1111111, deployed");
    expect(message).toContain("• #12 Change number 12 — dev12");
    expect(message).toContain("• …and 2 more merged PRs");
    expect(message).toContain("Compare: https://github.com/hfa/donations/compare/1111111...2222222");
    expect(message).toContain("A deploy now passes every policy and would start at once. donations/prod asks for confirmation first.");
    expect(await footprint(h)).toEqual(before);

    // The same range again is answered from the builder's cache.
    await h.service.runText("diff donations prod", { actor: anApiActor() });
    expect(calls).toEqual(["1...2"]);
  });

  test("a lock makes the answer a refusal with its reason code, while the diff itself is done", async () => {
    const h = coreHarness();
    await ship(h, "staging", sha("1"));
    await h.run({ verb: "lock", service: "donations", env: "staging", reason: "qa run" }, { actor: githubActor("alice") });
    const result = await h.service.runText("diff donations staging main", { actor: anApiActor() });
    expect(result).toMatchObject({ outcome: "done", diff: { sha: sha("a"), ref: "main", deployable: false, reasonCode: "locked", changeSet: { status: "unavailable" } } });
    expect((result as { message: string }).message).toMatch(/A deploy now would be refused \(locked\): donations\/staging is locked by alice/);
  });

  test("a running deploy: the answer says a deploy would queue behind it; with concurrency: reject, busy", async () => {
    const h = coreHarness();
    const running = await h.deploy("donations", "staging", { ref: sha("1") });
    const queued = await h.service.runText(`diff donations staging ${sha("2")}`, { actor: anApiActor() });
    expect(queued).toMatchObject({ outcome: "done", diff: { deployable: true, queuesBehind: running.record!.id, changeSet: { status: "first_deploy" } } });
    expect((queued as { message: string }).message).toContain(`would queue behind deploy ${running.record!.id} (1111111, running)`);
    expect((queued as { message: string }).message).toContain("nothing is live there yet");

    await h.deploy("events", "staging");
    const busy = await h.service.runText("diff events staging", { actor: anApiActor() });
    expect(busy).toMatchObject({ outcome: "done", diff: { deployable: false, reasonCode: "busy" } });
  });

  test("where approvals are required, the answer says the deploy would wait for them rather than start", async () => {
    const base = testConfig();
    const h = coreHarness(testConfig({ environments: { ...base.environments, staging: { ...base.environments.staging!, approvals: { required: 2, from: ["sre-sam"], expiresMs: 3_600_000 } } } }));
    const result = await h.service.runText(`diff donations staging ${sha("1")}`, { actor: anApiActor() });
    expect(result).toMatchObject({ outcome: "done", diff: { deployable: true } });
    expect((result as { message: string }).message).toContain("It would then wait for 2 approvals before it starts.");
    expect((result as { message: string }).message).not.toContain("would start at once");
  });

  test("what cannot be diffed is refused and changes nothing: an unknown ref, nothing yet in the env it promotes from", async () => {
    const h = coreHarness();
    const before = await footprint(h);
    expect(await h.service.runText("diff donations staging no-such-branch", { actor: anApiActor() })).toMatchObject({ outcome: "refused", reasonCode: "bad_ref" });
    expect(await h.service.runText("diff donations prod", { actor: anApiActor() })).toMatchObject({ outcome: "refused", reasonCode: "not_promoted" });
    expect((await footprint(h)).deploys).toBe(before.deploys);
    expect((await footprint(h)).starts).toBe(before.starts);
  });

  test("an API client reads only inside its scope; outside, permission_denied (audited); inside, a deploy it may not make is said so", async () => {
    const config = testConfig({ apiClients: { reader: { may: [], services: ["donations"], environments: ["staging"] } } });
    const h = coreHarness(config);
    const reader = anApiActor("reader");
    const outside = await h.service.runText("diff donations prod", { actor: reader });
    expect(outside).toMatchObject({ outcome: "refused", reasonCode: "permission_denied" });
    expect(h.store.audit.at(-1)).toMatchObject({ action: "diff", outcome: "refused", reasonCode: "permission_denied", env: "prod" });
    const inside = await h.service.runText("diff donations staging", { actor: reader });
    expect(inside).toMatchObject({ outcome: "done", diff: { deployable: false, reasonCode: "permission_denied" } });
    expect((inside as { message: string }).message).toContain("api:reader may not deploy");
  });
});

describe("status <service>", () => {
  const window = denyWindow("Debate night", "2026-11-27T10:30", "2026-11-27T12:00");

  test("each environment: live release with its PR, who and when; running stage; queued and waiting; the lock; the open window — unaudited, nothing stored", async () => {
    const h = coreHarness(testConfig({ windows: [window] }));
    const stagingLive = await ship(h, "staging", sha("1"), { actor: githubActor("jordan-payments"), prNumber: 14 });
    await h.store.updateDeploy(stagingLive, {
      changeSet: { status: "listed", direction: "ships", headSha: sha("1"), pulls: [{ number: 14, title: "Retry the payment processor on 503", author: "jordan-payments" }], computedAt: "2026-11-27T15:00:01Z" },
    });
    await ship(h, "prod", sha("1"));
    const prodRunning = await h.deploy("donations", "prod", { ref: sha("1") });
    await h.deploy("donations", "prod", { ref: sha("1") });
    const stagingRunning = await h.deploy("donations", "staging", { ref: sha("2") }, { actor: githubActor("bob") });
    h.pipeline.setStage(stagingRunning.record!.executionId!, "Source", "succeeded");
    h.pipeline.setStage(stagingRunning.record!.executionId!, "Bake", "running");
    await h.deploy("donations", "staging", { ref: sha("3") });
    await h.deploy("donations", "staging", { ref: sha("4") });
    await h.pollAll();
    await h.time.set("2026-11-27T15:45:00Z"); // 10:45 in New York: the debate window is open
    h.pipeline.finish(prodRunning.record!.executionId!, "Succeeded");
    await h.pollAll(); // prod's queued deploy now waits for the window
    await h.run({ verb: "lock", service: "donations", env: "staging", until: "2026-11-27T19:00:00.000Z", reason: "qa run" }, { actor: githubActor("alice") });
    const before = await footprint(h);

    const result = await h.service.runText("status donations", { actor: anApiActor() });

    expect(result.outcome).toBe("done");
    const status = (result as { serviceStatus: StatusView }).serviceStatus;
    expect(status.service).toBe("donations");
    const [staging, prod] = status.environments;
    expect(staging).toMatchObject({
      env: "staging",
      live: { deployId: stagingLive, sha: sha("1"), actor: "jordan-payments", deployedAt: "2026-11-27T15:00:00.000Z", pr: { number: 14, title: "Retry the payment processor on 503", author: "jordan-payments" } },
      running: { deployId: stagingRunning.record!.id, sha: sha("2"), actor: "bob", stage: "Bake" },
      queued: 2,
      waiting: 0,
      awaitingApproval: 0,
      lock: { owner: "alice", reason: "qa run", expiresAt: "2026-11-27T19:00:00.000Z" },
      windows: [{ name: "Debate night", kind: "deny", open: true, end: "2026-11-27T17:00:00.000Z" }],
      closedByWindow: { until: "2026-11-27T17:00:00.000Z" },
    });
    expect(prod).toMatchObject({ env: "prod", live: { deployId: prodRunning.record!.id, actor: "api:ci", deployedAt: "2026-11-27T15:45:00.000Z" }, queued: 1, waiting: 1 });
    expect(prod!.running).toBeUndefined();
    const lines = (result as { message: string }).message.split("\n");
    expect(lines[1]).toBe(
      `staging: live 1111111 (#14 Retry the payment processor on 503 — jordan-payments), deployed 10:00 EST by jordan-payments · running ${stagingRunning.record!.id} (2222222) by bob, stage Bake · 2 queued · 🔒 locked by alice until 14:00 EST (qa run) · window "Debate night" (deny) open until 12:00 EST`,
    );
    expect(lines[2]).toBe(`prod: live 1111111, deployed 10:45 EST by api:ci · 1 queued (1 waiting for a window) · window "Debate night" (deny) open until 12:00 EST`);
    expect(await footprint(h)).toEqual(before);
  });

  test("an API client sees only the environments in its scope, and no service outside it", async () => {
    const config = testConfig({ apiClients: { reader: { may: [], services: ["donations"], environments: ["staging"] } } });
    const h = coreHarness(config);
    const mine = await h.service.runText("status donations", { actor: anApiActor("reader") });
    expect((mine as { serviceStatus: StatusView }).serviceStatus.environments.map((e) => e.env)).toEqual(["staging"]);
    expect((mine as { message: string }).message).not.toContain("prod");
    expect(await h.service.runText("status events", { actor: anApiActor("reader") })).toMatchObject({ outcome: "refused", reasonCode: "permission_denied" });
    const blind = coreHarness(testConfig({ apiClients: { blind: { may: [], services: ["*"], environments: [] } } }));
    expect(await blind.service.runText("status donations", { actor: anApiActor("blind") })).toMatchObject({ outcome: "refused", reasonCode: "permission_denied" });
  });

  test("a release that went back to an older sha is not named after the PRs it took out", async () => {
    const h = coreHarness();
    const older = await ship(h, "staging", sha("1"));
    await h.store.updateDeploy(older, {
      changeSet: { status: "listed", direction: "takes_out", baseSha: sha("2"), headSha: sha("1"), pulls: [{ number: 4, title: "Update dependencies", author: "octocat" }], computedAt: "2026-11-27T15:00:01Z" },
    });
    const result = await h.service.runText("status donations", { actor: anApiActor() });
    const staging = (result as { serviceStatus: StatusView }).serviceStatus.environments[0]!;
    expect(staging.live).toMatchObject({ deployId: older, sha: sha("1") });
    expect(staging.live!.pr).toBeUndefined();
    expect((result as { message: string }).message.split("\n")[1]).toMatch(/^staging: live 1111111, deployed .+ by api:ci$/);
  });

  test("reading needs no deploy rights: a Slack user nobody mapped sees it; nothing deployed yet, every environment says so", async () => {
    const h = coreHarness();
    const result = await h.service.runText("status events", { actor: aSlackActor("U0NEWBIE1") });
    expect((result as { message: string }).message.split("\n").slice(1)).toEqual(["staging: nothing live", "prod: nothing live"]);
  });
});
