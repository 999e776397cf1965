import { parseArgs } from "node:util";
import type { AuditRecord } from "../core/model/audit.js";
import { describeApiFailure, type ApiClient } from "./api-client.js";
import type { CliIo } from "./cli-io.js";
import { ExitCode } from "./exit-codes.js";

/** `whistlestop audit`'s own options: the API's filters, and how many entries to print in all. */
export interface AuditRequest {
  readonly filters: Readonly<Record<string, string>>;
  readonly limit: number;
}

export const DEFAULT_AUDIT_ROWS = 50;
/** The API's largest page. */
const PAGE = 200;
const MAX_ROWS = 100_000;
const FILTERS = ["service", "env", "actor", "since"] as const;
export const AUDIT_USAGE = 'usage: whistlestop audit [--service <service>] [--env <env>] [--actor <login>] [--since <24h | 2026-11-03T18:00Z>] [--limit <n>]';

/** The words after `audit`; a message when they are not its options. */
export function parseAuditArgs(words: readonly string[]): { ok: true; request: AuditRequest } | { ok: false; message: string } {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...words],
      options: { service: { type: "string" }, env: { type: "string" }, actor: { type: "string" }, since: { type: "string" }, limit: { type: "string" } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    return { ok: false, message: `${(error as Error).message.split("\n")[0]}\n${AUDIT_USAGE}` };
  }
  if (positionals.length) return { ok: false, message: `"whistlestop audit" takes only options, not "${positionals[0]}".\n${AUDIT_USAGE}` };
  const filters: Record<string, string> = {};
  for (const key of FILTERS) if (typeof values[key] === "string") filters[key] = values[key];
  const limitText = typeof values.limit === "string" ? values.limit : String(DEFAULT_AUDIT_ROWS);
  const limit = /^\d{1,6}$/.test(limitText) ? Number(limitText) : Number.NaN;
  if (!(limit >= 1 && limit <= MAX_ROWS)) return { ok: false, message: `--limit must be a whole number from 1 to ${MAX_ROWS} (entries to print).` };
  return { ok: true, request: { filters, limit } };
}

export interface AuditContext {
  readonly io: CliIo;
  readonly api: Pick<ApiClient, "getAudit">;
  readonly json: boolean;
  readonly signal: AbortSignal;
}

/** Reads pages, following `next`, until `limit` entries are printed or the log has no more. */
export async function runAudit(request: AuditRequest, ctx: AuditContext): Promise<number> {
  const { io } = ctx;
  const rows: AuditRecord[] = [];
  let cursor: string | null | undefined;
  while (rows.length < request.limit && cursor !== null) {
    const pageSize = Math.min(PAGE, request.limit - rows.length);
    const answer = await ctx.api.getAudit({ ...request.filters, limit: String(pageSize), ...(cursor ? { cursor } : {}) }, ctx.signal);
    if (!answer.ok) {
      const failure = answer.failure;
      if (failure.kind === "aborted") return ExitCode.interrupted;
      // The server's own words: who may read the log, or which filter is wrong.
      if (failure.kind === "http" && (failure.status === 403 || failure.status === 400)) {
        io.stderr.write(`${failure.message}\n`);
        return failure.status === 403 ? ExitCode.refused : ExitCode.usageOrConnection;
      }
      io.stderr.write(`${describeApiFailure(failure)}\n`);
      return ExitCode.usageOrConnection;
    }
    rows.push(...answer.value.entries);
    cursor = answer.value.next;
  }
  if (ctx.json) {
    for (const row of rows) io.stdout.write(`${JSON.stringify(row)}\n`);
  } else if (rows.length === 0) {
    io.stdout.write("No audit entries match.\n");
  } else {
    io.stdout.write(auditTable(rows, io.stdout.columns));
  }
  if (cursor) io.stderr.write(`Showing the newest ${rows.length}; there are more. Raise --limit, or narrow with --since, --service, --env or --actor.\n`);
  return ExitCode.ok;
}

/** VIA is the surface: slack, github, api, dashboard, or whistlestop for its own decisions. */
const HEADERS = ["AT (UTC)", "ACTOR", "VIA", "ACTION", "TARGET", "OUTCOME", "DEPLOY", "MESSAGE"] as const;

/** Aligned columns; the message takes what the terminal has left (one line per entry). */
export function auditTable(rows: readonly AuditRecord[], columns = 160): string {
  const cells = rows.map((r) => [
    r.at.replace("T", " ").replace(/\.\d+Z$/, "Z"),
    r.actor,
    r.surface,
    r.action,
    r.service ? `${r.service}/${r.env ?? "*"}` : (r.env ?? "-"),
    r.reasonCode ? `${r.outcome} (${r.reasonCode})` : r.outcome,
    r.deployId ?? "-",
    (r.message ?? "").replace(/\s+/g, " "),
  ]);
  const widths = HEADERS.slice(0, -1).map((header, i) => Math.max(header.length, ...cells.map((row) => row[i]!.length)));
  const room = Math.max(20, columns - widths.reduce((sum, w) => sum + w + 2, 0));
  const line = (row: readonly string[]) => {
    const message = row.at(-1)!;
    const clipped = message.length > room ? `${message.slice(0, room - 1)}…` : message;
    return [...row.slice(0, -1).map((cell, i) => cell.padEnd(widths[i]!)), clipped].join("  ").trimEnd();
  };
  return `${[line(HEADERS), ...cells.map(line)].join("\n")}\n`;
}
