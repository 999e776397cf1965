import type { AuditEntry, AuditRecord } from "../../../src/core/model/audit.js";
import type { StoreHarness } from "../store-harness.js";
import { at, unique } from "../deploy-fixtures.js";

/** The audit API's reads: filters, actor keys, time and the id cursor. */
export function auditCases(harness: () => StoreHarness): void {
  const store = () => harness().store;
  const outcomes = (records: readonly AuditRecord[]) => records.map((r) => r.outcome);

  describe("audit queries", () => {
    it("filters by service, env, actor key and time, newest first", async () => {
      const service = unique("svc");
      const entry = (minutes: number, outcome: string, extra: Partial<AuditEntry> = {}): AuditEntry => ({
        at: at(minutes),
        actor: "Alice",
        actorKey: "alice",
        surface: "slack",
        action: "deploy",
        service,
        env: "prod",
        outcome,
        ...extra,
      });
      await store().appendAudit(entry(0, "a"));
      await store().appendAudit(entry(1, "b", { env: "staging" }));
      await store().appendAudit(entry(2, "c", { actor: "ci (octocat)", actorKey: "api:ci", surface: "api" }));
      await store().appendAudit(entry(3, "d"));

      expect(outcomes(await store().queryAudit({ service, limit: 10 }))).toEqual(["d", "c", "b", "a"]);
      expect(outcomes(await store().queryAudit({ service, env: "prod", limit: 10 }))).toEqual(["d", "c", "a"]);
      expect(outcomes(await store().queryAudit({ service, actorKey: "api:ci", limit: 10 }))).toEqual(["c"]);
      expect(outcomes(await store().queryAudit({ service, actorKey: "alice", since: at(1), limit: 10 }))).toEqual(["d", "b"]);
      const [latest] = await store().queryAudit({ service, limit: 1 });
      expect(latest).toMatchObject({ actor: "Alice", actorKey: "alice", surface: "slack", action: "deploy", service, env: "prod", outcome: "d", at: at(3) });
      expect(typeof latest!.id).toBe("number");
    });

    it("pages backwards by id: each page starts below the last id of the one before", async () => {
      const service = unique("svc");
      for (let i = 0; i < 5; i++) await store().appendAudit({ at: at(i), actor: "bob", surface: "api", action: "lock", service, outcome: `o${i}` });
      const first = await store().queryAudit({ service, limit: 2 });
      const second = await store().queryAudit({ service, limit: 2, beforeId: first.at(-1)!.id });
      const third = await store().queryAudit({ service, limit: 2, beforeId: second.at(-1)!.id });
      expect([first, second, third].map(outcomes)).toEqual([["o4", "o3"], ["o2", "o1"], ["o0"]]);
    });

    it("keys an entry written without an actor key by its lower-cased name", async () => {
      const service = unique("svc");
      await store().appendAudit({ at: at(0), actor: "OctoCat", surface: "github", action: "deploy", service, outcome: "started" });
      expect(await store().queryAudit({ service, actorKey: "octocat", limit: 5 })).toEqual([expect.objectContaining({ actor: "OctoCat", actorKey: "octocat" })]);
    });
  });
}
