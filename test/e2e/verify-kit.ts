/** What the alarm verification suites share: a config that verifies staging, a clock they move, and waits. */
import type { Deploy } from "../../src/core/model/deploy.js";
import type { RunningEmulator } from "../../src/emulator/start-emulator.js";
import { exampleConfigText, loadTestConfig, startTestApp, type TestApp, type TestAppOptions } from "../kit/test-app.js";
import { waitFor } from "../kit/wait-for.js";

// Without the GitHub app only full shas can be deployed (nothing can resolve a branch name).
export const GOOD = "0123456789abcdef0123456789abcdef01234567";
export const BAD = "89abcdef0123456789abcdef0123456789abcdef";
export const ALARM = "campaign-5xx-rate";

/** The example configuration with staging verified for 10 minutes (and `alarms` as given). */
export const verifiedConfig = (alarms = `[${ALARM}]`, onAlarm = "rollback") =>
  loadTestConfig(exampleConfigText().replace("  staging: {}", `  staging:\n    verify: { alarms: ${alarms}, for: 10m, on_alarm: ${onAlarm} }`));

/** A clock the test moves: it starts at the real time, so alarms the emulator stamps now fall inside it. */
export class TestClock {
  private at = Date.now();
  readonly clock = { now: () => new Date(this.at) };
  advance(ms: number): void {
    this.at += ms;
  }
}

/** Sets the alarm in the emulator stamped at the test clock's moment, as CloudWatch stamps a change when it happens. */
export function setAlarm(emulator: RunningEmulator, clock: TestClock, state: "ALARM" | "OK", name = ALARM): void {
  emulator.emulator.cloudwatch.setState(name, state, undefined, clock.clock.now().getTime());
}

export async function startVerifiedApp(clock: TestClock, options: TestAppOptions = {}): Promise<TestApp> {
  return startTestApp({ config: verifiedConfig(), verifyAlarms: true, clock: clock.clock, ...options });
}

export const isState = (state: Deploy["state"]) => (deploy: Deploy) => deploy.state === state;

export async function stateOf(t: TestApp, id: string, state: Deploy["state"]): Promise<Deploy> {
  return waitFor(`deploy ${id} to be ${state}`, async () => {
    const deploy = await t.store.getDeploy(id);
    return deploy?.state === state ? deploy : undefined;
  });
}

/** Deploys `sha` to staging and runs its pipeline until it verifies, its first check made. */
export async function deployToVerifying(t: TestApp, sha: string): Promise<Deploy> {
  const asked = await t.command(`deploy donations staging ${sha}`);
  const id = asked.deploy!.id;
  await t.runDeploy(id, isState("verifying"));
  return waitFor(`the first alarm check of ${id}`, async () => {
    const deploy = await t.store.getDeploy(id);
    return deploy?.verification?.checkedAt ? deploy : undefined;
  });
}

