import type { WindowConfig } from "../model/config.js";

/** Shell-style glob: `*` any run of characters, `?` one character; everything else literal. */
export function globMatches(pattern: string, name: string): boolean {
  const source = [...pattern].map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
  return new RegExp(`^${source}$`).test(name);
}

/** Whether a window applies to (service, env); empty lists mean all. */
export function windowCovers(window: Pick<WindowConfig, "environments" | "services">, service: string, env: string): boolean {
  const envOk = window.environments.length === 0 || window.environments.includes(env);
  return envOk && (window.services.length === 0 || window.services.some((p) => globMatches(p, service)));
}
