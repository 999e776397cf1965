import { SandboxSourceControl } from "../../src/adapters/source-control/sandbox-source-control.js";
import type { Comparison } from "../../src/core/ports/source-control.js";

/** The sandbox's real history as GitHub, counting every compare it is asked for ("base7...head7"). */
export class CountingSandbox extends SandboxSourceControl {
  readonly compares: string[] = [];
  override async compare(repo: string, base: string, head: string): Promise<Comparison> {
    this.compares.push(`${base.slice(0, 7)}...${head.slice(0, 7)}`);
    return super.compare(repo, base, head);
  }
}
