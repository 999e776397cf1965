import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Clock, IdGenerator } from "../core/ports/clock.js";

/** The real clock, for a server that is given none. */
export const systemClock: Clock = { now: () => new Date() };

/** Deploy ids double as CodePipeline clientRequestTokens: ^[a-zA-Z0-9-]{1,128}$. */
export const randomIds: IdGenerator = { newId: () => `d-${Date.now().toString(36)}-${randomBytes(5).toString("hex")}` };

/** A replica id for a server started without one: unique per process, so two never share it. */
export function processReplicaId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
}
