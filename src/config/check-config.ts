import { configPath, loadConfigFile } from "./load-config.js";

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** `whistlestop config check [file]`: the same validation start-up runs, as an exit code and text. */
export async function checkConfig(path: string = configPath()): Promise<{ exitCode: number; output: string }> {
  const result = await loadConfigFile(path);
  if (result.ok) {
    const { services, environments, windows } = result.config;
    const summary = [count(Object.keys(services).length, "service"), count(Object.keys(environments).length, "environment"), count(windows.length, "window")];
    return { exitCode: 0, output: `${path}: OK (${summary.join(", ")})` };
  }
  const advice = `${count(result.problems.length, "problem")} in ${path}. Fix each line above (docs/configuration.md and examples/whistlestop.yml show every key), then run "whistlestop config check ${path}" again.`;
  return { exitCode: 1, output: [...result.problems, advice].join("\n") };
}
