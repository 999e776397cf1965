import { PeopleDirectory } from "../../../src/core/identity/people-directory.js";
import { MemoryStore } from "../../fakes/memory-store.js";

const LINKED_AT = "2026-12-01T10:00:00.000Z";

describe("the Slack user to mention for a PR's author", () => {
  let store: MemoryStore;
  let failures: unknown[];
  let directory: PeopleDirectory;
  beforeEach(async () => {
    store = new MemoryStore();
    failures = [];
    directory = new PeopleDirectory({ people: { U024BE7LH: "octocat", U0ALEXSRE: "Alex-SRE" } }, store, (error) => failures.push(error));
    await store.putSlackLink({ teamId: "T1", userId: "U0JORDAN", login: "jordan-payments", linkedAt: LINKED_AT });
    // octocat linked themself from another account: `people` is an admin's word and wins.
    await store.putSlackLink({ teamId: "T1", userId: "U0IMPOSTR", login: "octocat", linkedAt: LINKED_AT });
    // Two Slack users linked one login: nobody can tell which one wrote the PR.
    await store.putSlackLink({ teamId: "T1", userId: "U0SAMONE", login: "sam", linkedAt: LINKED_AT });
    await store.putSlackLink({ teamId: "T2", userId: "U0SAMTWO", login: "Sam", linkedAt: LINKED_AT });
    // The same user id in two workspaces of one grid is one person.
    await store.putSlackLink({ teamId: "T1", userId: "U0RILEY", login: "riley", linkedAt: LINKED_AT });
    await store.putSlackLink({ teamId: "T2", userId: "U0RILEY", login: "riley", linkedAt: LINKED_AT });
  });

  test("people first, then a link; logins compared without regard to case and keyed in lower case", async () => {
    const found = await directory.slackUsersOf(["OctoCat", "alex-sre", "@jordan-payments", "riley"]);
    expect(Object.fromEntries(found)).toEqual({ octocat: "U024BE7LH", "alex-sre": "U0ALEXSRE", "jordan-payments": "U0JORDAN", riley: "U0RILEY" });
  });

  test("a login nobody mapped or linked, or linked by two different Slack users, has no Slack user: it is named, not mentioned", async () => {
    const found = await directory.slackUsersOf(["sam", "newcomer", "jordan-payments"]);
    expect(Object.fromEntries(found)).toEqual({ "jordan-payments": "U0JORDAN" });
  });

  test("links that cannot be read leave only people's mappings, and the failure is reported", async () => {
    store.down = true;
    const found = await directory.slackUsersOf(["octocat", "jordan-payments"]);
    expect(Object.fromEntries(found)).toEqual({ octocat: "U024BE7LH" });
    expect(failures).toHaveLength(1);
  });

  test("the store is not asked when people maps every author", async () => {
    store.down = true;
    expect(Object.fromEntries(await directory.slackUsersOf(["octocat"]))).toEqual({ octocat: "U024BE7LH" });
    expect(failures).toEqual([]);
  });
});
