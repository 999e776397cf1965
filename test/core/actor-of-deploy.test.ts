import { actorOfDeploy, deployOwnerKey } from "../../src/core/model/actor.js";

/** Who a stored deploy belongs to, read back from its record, whichever surface asked. */
describe("actorOfDeploy", () => {
  test("an API client's record is the client's, from the API or from the dashboard (the sandbox's visitor)", () => {
    for (const surface of ["api", "dashboard"] as const) {
      expect(actorOfDeploy({ surface, actor: "api:sandbox" })).toEqual({ surface, name: "api:sandbox", apiClient: "sandbox" });
      expect(deployOwnerKey({ surface, actor: "api:sandbox" })).toBe("api:sandbox");
    }
  });

  test("a person's record from the dashboard is their login's", () => {
    expect(actorOfDeploy({ surface: "dashboard", actor: "octocat", actorLogin: "octocat" })).toEqual({ surface: "dashboard", name: "octocat", login: "octocat" });
    expect(deployOwnerKey({ surface: "dashboard", actor: "octocat", actorLogin: "octocat" })).toBe("login:octocat");
  });
});
