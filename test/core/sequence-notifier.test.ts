import { SequenceNotifier, type DeployEvent, type Notifier } from "../../src/core/ports/notifier.js";
import { aDeploy } from "../kit/builders.js";

describe("SequenceNotifier", () => {
  const event: DeployEvent = { type: "succeeded", deploy: aDeploy({ state: "succeeded" }), at: "2026-12-03T10:00:00.000Z" };

  test("each notifier hears the event after the one before has finished with it", async () => {
    const heard: string[] = [];
    let release!: () => void;
    const slow: Notifier = { notify: () => new Promise<void>((resolve) => (release = () => (heard.push("card"), resolve()))) };
    const next: Notifier = { notify: async () => void heard.push("reply") };
    const done = new SequenceNotifier([slow, next]).notify(event);
    await Promise.resolve();
    expect(heard).toEqual([]);
    release();
    await done;
    expect(heard).toEqual(["card", "reply"]);
  });

  test("a failure does not stop the ones after it, and is thrown once all have run", async () => {
    const heard: string[] = [];
    const failing: Notifier = { notify: async () => Promise.reject(new Error("Slack is down")) };
    await expect(new SequenceNotifier([failing, { notify: async () => void heard.push("after") }]).notify(event)).rejects.toThrow("Slack is down");
    expect(heard).toEqual(["after"]);
  });
});
