// src/action/run-action.ts
import { createHash, randomUUID as randomUUID3 } from "node:crypto";

// src/cli/api-client.ts
import { randomUUID } from "node:crypto";

// src/cli/sse-client.ts
var SseParser = class {
  buffer = "";
  afterCr = false;
  atStart = true;
  eventType = "";
  data = [];
  eventId;
  lastId;
  retry;
  /** The last `id:` seen, for a Last-Event-ID header on reconnect. */
  get lastEventId() {
    return this.lastId;
  }
  /** The server's `retry:` advice in milliseconds. */
  get retryMs() {
    return this.retry;
  }
  /** Feeds decoded text; returns the events completed by it. */
  push(chunk) {
    let text = chunk;
    if (this.atStart && text.length > 0) {
      this.atStart = false;
      if (text.startsWith("\uFEFF")) text = text.slice(1);
    }
    if (this.afterCr && text.startsWith("\n")) text = text.slice(1);
    this.afterCr = false;
    this.buffer += text;
    const events = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const ch = this.buffer[i];
      if (ch !== "\n" && ch !== "\r") continue;
      const event = this.line(this.buffer.slice(start, i));
      if (event) events.push(event);
      if (ch === "\r") {
        if (i + 1 === this.buffer.length) this.afterCr = true;
        else if (this.buffer[i + 1] === "\n") i++;
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }
  line(line) {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return void 0;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "event":
        this.eventType = value;
        break;
      case "data":
        this.data.push(value);
        break;
      case "id":
        if (!value.includes("\0")) this.eventId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        break;
    }
    return void 0;
  }
  dispatch() {
    if (this.eventId !== void 0) this.lastId = this.eventId;
    const hasData = this.data.length > 0;
    const event = {
      event: this.eventType || "message",
      data: this.data.join("\n"),
      ...this.lastId !== void 0 ? { id: this.lastId } : {}
    };
    this.eventType = "";
    this.data = [];
    this.eventId = void 0;
    return hasData ? event : void 0;
  }
};
async function* readEventStream(body, onActivity = () => {
}) {
  const parser = new SseParser();
  const decoder = new TextDecoder("utf-8");
  const iterator = body[Symbol.asyncIterator]();
  try {
    for (; ; ) {
      const next = await iterator.next();
      if (next.done) break;
      onActivity();
      const text = typeof next.value === "string" ? next.value : decoder.decode(next.value, { stream: true });
      yield* parser.push(text);
    }
    yield* parser.push(decoder.decode());
  } finally {
    await iterator.return?.().catch(() => void 0);
  }
}

// src/cli/api-client.ts
var CONNECTION_ERRORS = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  UND_ERR_SOCKET: "connection closed"
};
function connectionDetail(error) {
  const cause = error?.cause;
  const code2 = typeof cause?.code === "string" ? cause.code : void 0;
  if (code2) return CONNECTION_ERRORS[code2] ?? code2;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}
var ApiClient = class {
  constructor(settings, options) {
    this.settings = settings;
    this.options = options;
  }
  get server() {
    return this.settings.server;
  }
  /** Sends one command; a retry after a dropped connection carries the same Idempotency-Key. */
  async postCommand(text, signal) {
    const idempotencyKey2 = randomUUID();
    const send = () => this.requestJson("/api/v1/commands", signal, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": idempotencyKey2 },
      body: JSON.stringify({ text })
    });
    let answer = await send();
    if (!answer.ok && answer.failure.kind === "unreachable" && RETRY_SAFE.has(answer.failure.detail)) answer = await send();
    if (!answer.ok) return answer;
    if (isCommandResult(answer.value.body)) return { ok: true, value: answer.value.body };
    return { ok: false, failure: httpFailure(this.server, answer.value) };
  }
  async getDeploy(id, signal) {
    const answer = await this.requestJson(`/api/v1/deploys/${encodeURIComponent(id)}`, signal);
    if (!answer.ok) return answer;
    if (answer.value.status === 200 && isDeployView(answer.value.body)) return { ok: true, value: answer.value.body };
    return { ok: false, failure: httpFailure(this.server, answer.value) };
  }
  /** One page of the audit log; `query` holds the filters and the cursor, as the API names them. */
  async getAudit(query, signal) {
    const answer = await this.requestJson(`/api/v1/audit?${new URLSearchParams(query).toString()}`, signal);
    if (!answer.ok) return answer;
    if (answer.value.status === 200 && isAuditPage(answer.value.body)) return { ok: true, value: answer.value.body };
    return { ok: false, failure: httpFailure(this.server, answer.value) };
  }
  /**
   * Opens the deploy's event stream. `signal` also ends the stream; `onActivity` fires for every
   * chunk (heartbeats too) so the caller can notice a stream that went silent.
   */
  async openEvents(id, signal, onActivity) {
    const answer = await this.send(`/api/v1/deploys/${encodeURIComponent(id)}/events`, signal, { headers: { Accept: "text/event-stream" } }, false);
    if (!answer.ok) return answer;
    const res = answer.value;
    if (res.status === 200 && (res.headers.get("content-type") ?? "").startsWith("text/event-stream") && res.body) {
      return { ok: true, value: readEventStream(res.body, onActivity) };
    }
    const body = await res.text().then(parseJson, () => void 0);
    return { ok: false, failure: httpFailure(this.server, { status: res.status, statusText: res.statusText, body }) };
  }
  async requestJson(path, signal, init = {}) {
    const answer = await this.send(path, signal, init, true);
    if (!answer.ok) return answer;
    const res = answer.value;
    return { ok: true, value: { status: res.status, statusText: res.statusText, body: parseJson(answer.text ?? "") } };
  }
  /** One request; the timeout covers the whole body unless the body is a stream read later. */
  async send(path, signal, init, readBody) {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.options.requestTimeoutMs);
    try {
      const response = await this.options.fetch(`${this.server}${path}`, {
        method: init.method ?? "GET",
        headers: { Authorization: `Bearer ${this.settings.token}`, Accept: "application/json", ...init.headers },
        ...init.body !== void 0 ? { body: init.body } : {},
        signal: signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal
      });
      return readBody ? { ok: true, value: response, text: await response.text() } : { ok: true, value: response };
    } catch (error) {
      if (signal?.aborted) return { ok: false, failure: { kind: "aborted" } };
      if (timeout.signal.aborted) {
        return { ok: false, failure: { kind: "timeout", server: this.server, seconds: Math.round(this.options.requestTimeoutMs / 1e3) } };
      }
      return { ok: false, failure: { kind: "unreachable", server: this.server, detail: connectionDetail(error) } };
    } finally {
      clearTimeout(timer);
    }
  }
};
var RETRY_SAFE = /* @__PURE__ */ new Set(["connection reset", "connection closed"]);
function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return void 0;
  }
}
function httpFailure(server, answer) {
  const error = answer.body?.error;
  const message = typeof error === "string" ? error : answer.status === 200 ? `an answer the CLI does not understand; is ${server} a Whistlestop server?` : `${answer.status} ${answer.statusText}`.trim();
  return { kind: "http", server, status: answer.status, message };
}
var isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
function isCommandResult(value) {
  return isObject(value) && typeof value.outcome === "string" && typeof value.message === "string";
}
function isAuditPage(value) {
  return isObject(value) && Array.isArray(value.entries) && (value.next === null || typeof value.next === "string");
}
function isDeployView(value) {
  return isObject(value) && typeof value.id === "string" && typeof value.state === "string" && Array.isArray(value.stages);
}

// src/action/action-api.ts
var RETRY_STATUS = /* @__PURE__ */ new Set([502, 503, 504]);
var ActionApi = class {
  constructor(options) {
    this.options = options;
  }
  async post(path, body, idempotencyKey2) {
    const { retryDelaysMs, sleep: sleep2 } = this.options;
    for (let attempt = 0; ; attempt++) {
      const answer = await this.once(path, body, idempotencyKey2);
      const retryable = idempotencyKey2 !== void 0 || path === "/api/v1/check";
      const delay = retryDelaysMs[attempt];
      if (answer.ok || !retryable || delay === void 0 || !isTransient(answer.failure)) return answer;
      await sleep2(delay);
    }
  }
  async once(path, body, idempotencyKey2) {
    const { server, token, requestTimeoutMs } = this.options;
    let response;
    let text;
    try {
      response = await this.options.fetch(`${server}${path}`, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${token}`,
          "Content-Type": "application/json",
          Accept: "application/json",
          ...idempotencyKey2 ? { "Idempotency-Key": idempotencyKey2 } : {}
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(requestTimeoutMs)
      });
      text = await response.text();
    } catch (error2) {
      if (error2?.name === "TimeoutError") {
        return { ok: false, failure: { kind: "timeout", server, seconds: Math.round(requestTimeoutMs / 1e3) } };
      }
      return { ok: false, failure: { kind: "unreachable", server, detail: connectionDetail2(error2) } };
    }
    const parsed = parseJson2(text);
    if (isResult(parsed)) return { ok: true, result: parsed };
    const error = parsed?.error;
    const message = typeof error === "string" ? error : response.ok ? `an answer that is not Whistlestop's; is ${server} a Whistlestop server?` : `${response.status} ${response.statusText}`.trim();
    return { ok: false, failure: { kind: "http", server, status: response.status, message } };
  }
};
function isTransient(failure) {
  return failure.kind === "unreachable" || failure.kind === "timeout" || failure.kind === "http" && RETRY_STATUS.has(failure.status);
}
function connectionDetail2(error) {
  const cause = error?.cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}
function parseJson2(text) {
  try {
    return JSON.parse(text);
  } catch {
    return void 0;
  }
}
function isResult(value) {
  if (typeof value !== "object" || value === null) return false;
  const fields = value;
  return typeof fields.outcome === "string" && typeof fields.message === "string";
}
function describeFailure(failure) {
  switch (failure.kind) {
    case "unreachable":
      return `Cannot reach the Whistlestop server at ${failure.server} (${failure.detail}). Check the server-url input, and that this runner can reach the server.`;
    case "timeout":
      return `The Whistlestop server at ${failure.server} did not answer within ${failure.seconds}s. Check that it is healthy (GET ${failure.server}/readyz) and re-run the job.`;
    case "aborted":
      return "Stopped before the server answered.";
    case "http":
      if (failure.status === 401 || failure.status === 403) {
        return `The Whistlestop server at ${failure.server} refused the token (${failure.status}): ${failure.message} Check the token input: it must be one of the tokens in WHISTLESTOP_API_TOKENS on the server, passed from a secret (e.g. \${{ secrets.WHISTLESTOP_TOKEN }}).`;
      }
      return `The Whistlestop server at ${failure.server} answered ${failure.status}: ${failure.message}`;
  }
}

// src/core/time/duration.ts
var UNIT_MS = { d: 864e5, h: 36e5, m: 6e4, s: 1e3 };
var DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
function parseDuration(text) {
  const m = DURATION.exec(text.trim().toLowerCase());
  if (!m || m.slice(1).every((v) => v === void 0)) return void 0;
  const [d, h, min, s] = m.slice(1).map((v) => Number(v ?? 0));
  const ms = d * UNIT_MS.d + h * UNIT_MS.h + min * UNIT_MS.m + s * UNIT_MS.s;
  return ms > 0 && Number.isSafeInteger(ms) ? ms : void 0;
}

// src/action/action-inputs.ts
var ACTION_COMMANDS = ["deploy", "rollback", "lock", "unlock", "check", "cancel", "approve", "reject", "diff", "status"];
var NAMES_A_DEPLOY = /* @__PURE__ */ new Set(["approve", "reject"]);
var DEFAULT_TIMEOUT_MS = 60 * 6e4;
var NAME = /^[A-Za-z0-9._-]{1,100}$/;
var DEPLOY_ID = /^[A-Za-z0-9-]{1,128}$/;
var REF = /^[^\s\-"'“”‘’][^\s"'“”‘’]{0,254}$/;
var TRUE = ["true", "True", "TRUE"];
var FALSE = ["false", "False", "FALSE"];
function readInput(env, name) {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}
function parseBooleanInput(name, raw, fallback) {
  if (raw === "") return fallback;
  if (TRUE.includes(raw)) return true;
  if (FALSE.includes(raw)) return false;
  return `Input "${name}" must be true or false (got "${raw}").`;
}
function parseTimeoutInput(raw) {
  if (raw === "") return DEFAULT_TIMEOUT_MS;
  const ms = /^\d+$/.test(raw) ? Number(raw) * 6e4 : parseDuration(raw);
  if (ms === void 0 || ms <= 0 || !Number.isSafeInteger(ms)) {
    return `Input "timeout" must be a duration like 30m, 1h or 1h30m, or a number of minutes (got "${raw}").`;
  }
  return ms;
}
function parseServerUrl(raw) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    return void 0;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:" || url.username || url.password) return void 0;
  url.search = "";
  url.hash = "";
  return url.href.replace(/\/+$/, "");
}
function readActionInputs(env) {
  const problems = [];
  const get = (name) => readInput(env, name);
  const required = (name) => {
    const value = get(name);
    if (value === "") problems.push(`Input "${name}" is required.`);
    return value;
  };
  const commandRaw = get("command").toLowerCase() || "deploy";
  const command = ACTION_COMMANDS.find((c) => c === commandRaw);
  if (!command) problems.push(`Input "command" must be one of ${ACTION_COMMANDS.join(", ")} (got "${commandRaw}").`);
  const namesDeploy = command !== void 0 && NAMES_A_DEPLOY.has(command);
  const environment = namesDeploy || command === "status" ? get("environment") : required("environment");
  if (command === "status" && environment !== "") problems.push(`Input "environment" does not apply to status, which shows every environment; leave it out (got "${environment}").`);
  const names = { service: namesDeploy ? get("service") : required("service"), environment };
  const deployId = namesDeploy ? required("deploy-id") : get("deploy-id");
  if (deployId !== "" && !DEPLOY_ID.test(deployId)) problems.push(`Input "deploy-id" must be a deploy id: letters, digits and dashes (got "${deployId}").`);
  if (deployId !== "" && !namesDeploy && command) problems.push(`Input "deploy-id" applies to approve and reject only, not ${command}.`);
  for (const [name, value] of Object.entries(names)) {
    if (value !== "" && !NAME.test(value)) problems.push(`Input "${name}" must be a name from whistlestop.yml: letters, digits, ".", "_" and "-" (got "${value}").`);
  }
  const ref = get("ref");
  if (ref !== "" && !REF.test(ref)) problems.push(`Input "ref" must be a branch, tag or commit sha without spaces or quotes, not starting with "-" (got "${ref}").`);
  const reason = get("reason").replace(/\s+/g, " ");
  const serverRaw = required("server-url");
  const serverUrl = serverRaw ? parseServerUrl(serverRaw) : void 0;
  if (serverRaw && !serverUrl) problems.push(`Input "server-url" must be the http(s) URL of the Whistlestop server, e.g. https://whistlestop.example.org (got "${serverRaw}").`);
  const token = required("token");
  if (/\s/.test(token)) problems.push(`Input "token" must not contain spaces: pass just the token, e.g. \${{ secrets.WHISTLESTOP_TOKEN }}.`);
  const wait = parseBooleanInput("wait", get("wait"), true);
  if (typeof wait === "string") problems.push(wait);
  const timeoutMs = parseTimeoutInput(get("timeout"));
  if (typeof timeoutMs === "string") problems.push(timeoutMs);
  if (problems.length > 0 || !command || !serverUrl || typeof wait === "string" || typeof timeoutMs === "string") {
    return { ok: false, message: problems.join(" ") };
  }
  return {
    ok: true,
    inputs: {
      command,
      service: names.service,
      environment: names.environment,
      ...ref ? { ref } : {},
      ...deployId ? { deployId } : {},
      ...reason ? { reason } : {},
      serverUrl,
      token,
      wait,
      timeoutMs
    }
  };
}

// src/core/changes/describe-change-set.ts
function unlistedPulls(changeSet) {
  return Math.max(0, (changeSet.pullCount ?? 0) - changeSet.pulls.length);
}

// src/core/model/verification-text.ts
function verificationLeft(verification, now) {
  const leftMs = Math.max(0, Date.parse(verification.endsAt) - now.getTime());
  return `verifying, ${Math.ceil(leftMs / 6e4)} min left`;
}
function heldText(holding) {
  const names = holding.join(", ");
  return `${names} ${holding.length === 1 ? "has been" : "have been"} in ALARM since before this deploy: it fails only if still in ALARM when verification ends`;
}

// src/cli/progress-view.ts
var FINAL = /* @__PURE__ */ new Set(["succeeded", "failed", "cancelled"]);
var isFinalView = (view) => FINAL.has(view.state);
var STAGE_SYMBOL = {
  succeeded: "\u2713",
  running: "\u25CF",
  waiting: "\u25CB",
  failed: "\u2717",
  cancelled: "\u2717",
  skipped: "\u2014"
};
var STAGE_WORD = {
  succeeded: "done",
  running: "running",
  waiting: "waiting",
  failed: "failed",
  cancelled: "cancelled",
  skipped: "skipped"
};
var COLORS = { green: 32, red: 31, cyan: 36, yellow: 33, dim: 2, bold: 1 };
function paint(text, color, on) {
  return on ? `\x1B[${COLORS[color]}m${text}\x1B[0m` : text;
}
function formatDuration2(ms) {
  const seconds2 = Math.max(0, Math.floor(ms / 1e3));
  if (seconds2 < 60) return `${seconds2}s`;
  const minutes = Math.floor(seconds2 / 60);
  if (minutes < 60) return `${minutes}m${String(seconds2 % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}
var between = (from, to) => {
  if (!from || !to) return void 0;
  const end = to instanceof Date ? to.getTime() : Date.parse(to);
  const start = Date.parse(from);
  return Number.isNaN(start) || Number.isNaN(end) ? void 0 : end - start;
};
function headline(view) {
  const what = view.rollbackOf ? `rollback ${view.id} of ${view.rollbackOf}` : `deploy ${view.id}`;
  return `${view.service} \u2192 ${view.env}  ${view.sha.slice(0, 7)}  by ${view.actor}  (${what})`;
}
function queueLine(view) {
  if (view.state === "awaiting_approval" && view.approval) {
    const { required, approvedBy } = view.approval;
    return `\u25F7 awaiting approval \u2014 ${approvedBy.length} of ${required}${approvedBy.length ? ` (${approvedBy.map(printable).join(", ")})` : ""}, until ${view.approval.expiresAt}; approvers run "whistlestop approve ${view.id}"`;
  }
  if (view.state !== "queued") return void 0;
  if (view.waitingReason) return `\u25F7 waiting \u2014 ${view.waitingReason}`;
  return view.queuePosition !== void 0 ? `\u25F7 queued \u2014 position ${view.queuePosition} in line` : "\u25F7 queued";
}
function verificationLines(view, now) {
  const v = view.verification;
  if (!v) return [];
  const lines = view.state === "verifying" ? [`\u{1F50E} ${verificationLeft(v, now)} \u2014 watching ${v.alarms.map(printable).join(", ")}`] : [];
  if (view.state === "verifying" && v.holding?.length) lines.push(`\u23F3 ${printable(heldText(v.holding))}`);
  if (v.problem) lines.push(`\u26A0 ${printable(v.problem)}`);
  return lines;
}
function finalLines(view, ctx, note) {
  const took2 = between(view.startedAt ?? view.requestedAt, view.finishedAt);
  const duration = took2 !== void 0 ? ` in ${formatDuration2(took2)}` : "";
  if (view.state === "succeeded") {
    return [paint(`\u2714 succeeded${duration}${view.artifact ? ` \u2014 artifact ${view.artifact}` : ""}`, "green", ctx.color)];
  }
  if (view.state !== "failed" && view.state !== "cancelled") return [];
  const why = view.error ?? note;
  const summary = view.state === "failed" ? `\u2718 failed: ${why ?? "the pipeline failed"}` : `\u2718 cancelled${why ? `: ${why}` : ""}`;
  const lines = [paint(summary, "red", ctx.color)];
  const alarm = view.state === "failed" && view.reasonCode?.startsWith("alarm:") ? view.reasonCode.slice("alarm:".length) : void 0;
  if (alarm) lines.push(...alarmLines(view, printable(alarm)));
  else if (view.executionUrl) lines.push(`  pipeline: ${view.executionUrl}`);
  return lines;
}
function alarmLines(view, alarm) {
  const how = view.verification?.heldToEnd ? "was still in ALARM when verification ended (since before this deploy)" : "went into ALARM while the release was verified";
  const lines = [`  alarm ${alarm} ${how}`];
  if (view.autoRollbackId) lines.push(`  rolling back automatically: deploy ${view.autoRollbackId} (whistlestop status ${view.autoRollbackId} --follow)`);
  else if (view.verification?.onAlarm === "rollback" && !view.rollbackOf) lines.push(`  an automatic rollback follows: whistlestop deploys ${view.service} ${view.env}`);
  return lines;
}
var UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g;
var printable = (text) => text.replace(UNPRINTABLE, " ");
function changeSetLines(view, ctx) {
  const changeSet = view.changeSet;
  if (!changeSet) return [];
  const label = changeSet.direction === "takes_out" ? "takes out" : "changes";
  const lines = [`  ${paint(label, "bold", ctx.color)}  ${printable(changeSet.summary)}`];
  for (const pull of changeSet.pulls) {
    lines.push(`    ${paint(`#${pull.number}`, "cyan", ctx.color)} ${printable(pull.title)}${pull.author ? paint(` \u2014 ${printable(pull.author)}`, "dim", ctx.color) : ""}`);
  }
  const more = unlistedPulls(changeSet);
  if (more > 0) lines.push(paint(`    \u2026and ${more} more merged PR${more === 1 ? "" : "s"}`, "dim", ctx.color));
  if (changeSet.compareUrl) lines.push(`    ${printable(changeSet.compareUrl)}`);
  return lines;
}
function stageChangeLine(stage) {
  const took2 = between(stage.startedAt, stage.finishedAt);
  const word = STAGE_WORD[stage.state] ?? stage.state;
  return `${STAGE_SYMBOL[stage.state] ?? "?"} ${stage.name} ${word}${took2 !== void 0 && stage.state !== "running" ? ` (${formatDuration2(took2)})` : ""}`;
}
function describeChanges(previous, next, note, now = /* @__PURE__ */ new Date()) {
  const lines = [];
  if (!previous) lines.push(headline(next));
  if (next.changeSet && !previous?.changeSet) lines.push(...changeSetLines(next, { color: false }).map((line) => line.slice(2)));
  const queued = queueLine(next);
  if (queued && queued !== (previous ? queueLine(previous) : void 0)) lines.push(queued);
  if (next.state === "running" && previous?.state !== "running") lines.push("\u25B6 started");
  const before = new Map((previous?.stages ?? []).map((s) => [s.name, s.state]));
  for (const stage of next.stages) {
    const was = before.get(stage.name);
    if (was === stage.state || was === void 0 && stage.state === "waiting") continue;
    lines.push(stageChangeLine(stage));
  }
  const shown = new Set(previous ? verificationLines(previous, now) : []);
  for (const line of verificationLines(next, now)) if (!shown.has(line)) lines.push(line);
  if (isFinalView(next) && previous?.state !== next.state) lines.push(...finalLines(next, { color: false }, note));
  return lines;
}

// src/action/action-report.ts
var whereOf = (report) => report.environment ? `${report.service} \u2192 ${report.environment}` : report.service;
function reportOutputs(report) {
  return {
    "deploy-id": report.deploy?.id ?? "",
    state: report.state,
    "reason-code": report.reasonCode ?? "",
    sha: report.deploy?.sha ?? report.sha ?? "",
    artifact: report.deploy?.artifact ?? ""
  };
}
var STATE_ICON = {
  succeeded: "\u2705",
  deployable: "\u2705",
  done: "\u2705",
  running: "\u{1F504}",
  queued: "\u23F3",
  waiting: "\u25CB",
  failed: "\u274C",
  cancelled: "\u26D4",
  refused: "\u26D4",
  blocked: "\u26D4",
  skipped: "\u2796"
};
function escapeMarkdown(text) {
  return text.replace(/[\\`*_{}[\]<>|#!~]/g, (ch) => `\\${ch}`).replace(/\r?\n/g, " ");
}
var code = (text) => `\`${text.replace(/`/g, "'")}\``;
var clock = (iso) => iso && !Number.isNaN(Date.parse(iso)) ? `${new Date(iso).toISOString().slice(11, 19)} UTC` : "\u2014";
var took = (from, to) => {
  if (!from || !to) return "\u2014";
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isNaN(ms) ? "\u2014" : formatDuration2(ms);
};
var safeUrl = (url) => url && /^https?:\/\/[^\s()<>]+$/.test(url) ? url : void 0;
function title(report) {
  const what = report.command === "check" ? "check" : report.deploy?.rollbackOf ? "rollback" : report.command;
  return `${STATE_ICON[report.state] ?? "\u2022"} Whistlestop ${what}: ${escapeMarkdown(whereOf(report))} ${escapeMarkdown(report.state)}`;
}
function detailRows(deploy, links) {
  const rows = [["Deploy", code(deploy.id)]];
  const commit = safeUrl(links.repositoryUrl) ? `[${code(deploy.sha.slice(0, 7))}](${links.repositoryUrl}/commit/${encodeURIComponent(deploy.sha)})` : code(deploy.sha.slice(0, 7));
  rows.push(["Commit", deploy.ref && deploy.ref !== deploy.sha ? `${commit} (${escapeMarkdown(deploy.ref)})` : commit]);
  rows.push(["Actor", escapeMarkdown(deploy.actor)]);
  if (deploy.rollbackOf) rows.push(["Rolls back", code(deploy.rollbackOf)]);
  if (deploy.artifact) rows.push(["Artifact", code(deploy.artifact)]);
  const pipeline = safeUrl(deploy.executionUrl);
  if (pipeline) rows.push(["Pipeline", `[execution ${escapeMarkdown(deploy.executionId ?? "")}](${pipeline})`]);
  else if (deploy.executionId) rows.push(["Pipeline", `execution ${code(deploy.executionId)}`]);
  rows.push(["Requested", `${deploy.requestedAt.slice(0, 10)} ${clock(deploy.requestedAt)}`]);
  if (deploy.finishedAt) rows.push(["Took", took(deploy.startedAt ?? deploy.requestedAt, deploy.finishedAt)]);
  if (deploy.error) rows.push(["Error", escapeMarkdown(deploy.error)]);
  return ["| | |", "|---|---|", ...rows.map(([name, value]) => `| ${name} | ${value} |`)];
}
function stageRows(deploy) {
  if (deploy.stages.length === 0) return [];
  return [
    "| Stage | State | Started | Finished | Duration |",
    "|---|---|---|---|---|",
    ...deploy.stages.map(
      (s) => `| ${escapeMarkdown(s.name)} | ${STATE_ICON[s.state] ?? "\u2022"} ${escapeMarkdown(s.state)} | ${clock(s.startedAt)} | ${clock(s.finishedAt)} | ${took(s.startedAt, s.finishedAt)} |`
    )
  ];
}
function renderSummary(report, links = {}) {
  const parts = [`### ${title(report)}`, ""];
  if (report.message) parts.push(report.message.split(/\r?\n/).map(escapeMarkdown).join("  \n"), "");
  if (report.reasonCode) parts.push(`Reason code: ${code(report.reasonCode)}`, "");
  if (report.deploy) {
    parts.push(...detailRows(report.deploy, links), "");
    const stages = stageRows(report.deploy);
    if (stages.length) parts.push(...stages, "");
  }
  return parts.join("\n");
}

// src/core/commands/tokenize-command.ts
var DOUBLE_QUOTES = '"\u201C\u201D\u201E';
var SINGLE_OPENERS = "'\u2018";
var SINGLE_CLOSERS = "'\u2019";
function closersFor(opener) {
  if (DOUBLE_QUOTES.includes(opener)) return DOUBLE_QUOTES;
  if (SINGLE_OPENERS.includes(opener)) return SINGLE_CLOSERS;
  return void 0;
}
var isSpace = (ch) => ch !== void 0 && /\s/.test(ch);
function quoteMayOpen(word) {
  return word.text === "" || "-\u2014\u2013".includes(word.first) && word.last === "=" && word.equalsSigns === 1;
}
var WordSoFar = class {
  text = "";
  first = "";
  last = "";
  equalsSigns = 0;
  append(part) {
    if (part === "") return;
    if (this.text === "") this.first = part[0];
    this.last = part[part.length - 1];
    for (const ch of part) if (ch === "=") this.equalsSigns++;
    this.text += part;
  }
};
function findCloser(text, from, closers) {
  for (let i = from; i < text.length; i++) {
    if (closers.includes(text[i]) && (i + 1 === text.length || isSpace(text[i + 1]))) return i;
  }
  return -1;
}
function tokenizeCommand(text) {
  const tokens = [];
  let i = 0;
  while (i < text.length) {
    if (isSpace(text[i])) {
      i++;
      continue;
    }
    const word = new WordSoFar();
    let quoted = false;
    while (i < text.length && !isSpace(text[i])) {
      const ch = text[i];
      const closers = quoteMayOpen(word) ? closersFor(ch) : void 0;
      if (!closers) {
        word.append(ch);
        i++;
        continue;
      }
      const end = findCloser(text, i + 1, closers);
      if (end < 0) return { ok: false, message: `unterminated quote ${ch} \u2014 close it, e.g. --reason "debate prep"` };
      quoted = word.text === "";
      word.append(text.slice(i + 1, end));
      i = end + 1;
    }
    tokens.push({ text: word.text, quoted });
  }
  return { ok: true, tokens };
}

// src/cli/command-text.ts
var roundTrips = (candidate, word, quoted) => {
  const parsed = tokenizeCommand(candidate);
  return parsed.ok && parsed.tokens.length === 1 && parsed.tokens[0].text === word && parsed.tokens[0].quoted === quoted;
};
function quoteWord(word, force = false) {
  if (!force && word !== "" && roundTrips(word, word, false)) return word;
  for (const [open, close] of [['"', '"'], ["'", "'"]]) {
    const candidate = `${open}${word}${close}`;
    if (roundTrips(candidate, word, true)) return candidate;
  }
  return void 0;
}

// src/action/build-command-text.ts
function buildCommandText(inputs, githubSha) {
  const { command, service, environment } = inputs;
  if (command === "approve" || command === "reject") return approvalText(inputs);
  if (command === "status") return { ok: true, text: `status ${service}` };
  const words = [command === "check" ? "deploy" : command, service, environment];
  const takesRef = command === "deploy" || command === "check" || command === "diff";
  const ref = inputs.ref ?? (takesRef ? githubSha?.trim() || void 0 : void 0);
  if (ref && takesRef) words.push(ref);
  if (ref && command === "rollback") words.push("to", ref);
  if (command === "deploy" || command === "rollback") words.push("--yes");
  const takesReason = command === "deploy" || command === "rollback" || command === "lock";
  if (inputs.reason && takesReason) {
    const quoted = quoteWord(inputs.reason, true);
    if (quoted === void 0) return { ok: false, message: `Input "reason" mixes both kinds of quotes before spaces; rephrase it without one kind of quote.` };
    words.push("--reason", quoted);
  }
  return { ok: true, text: words.join(" ") };
}
function approvalText(inputs) {
  const words = [inputs.command, inputs.deployId ?? ""];
  if (inputs.command === "reject" && inputs.reason) {
    const quoted = quoteWord(inputs.reason, true);
    if (quoted === void 0) return { ok: false, message: `Input "reason" mixes both kinds of quotes before spaces; rephrase it without one kind of quote.` };
    words.push("--reason", quoted);
  }
  return { ok: true, text: words.join(" ") };
}

// src/cli/follow-deploy.ts
var isFatal = (failure) => failure.kind === "http" && failure.status >= 400 && failure.status < 500 && failure.status !== 408 && failure.status !== 429;
function parseData(event) {
  try {
    const data = JSON.parse(event.data);
    return typeof data === "object" && data !== null ? data : {};
  } catch {
    return {};
  }
}
function parseUpdate(event) {
  const { deploy, note, at } = parseData(event);
  if (!deploy || typeof deploy !== "object" || typeof deploy.state !== "string" || !Array.isArray(deploy.stages)) return void 0;
  return { type: event.event, deploy, ...typeof note === "string" ? { note } : {}, ...typeof at === "string" ? { at } : {} };
}
var seconds = (ms) => ms < 1e3 ? `${ms}ms` : `${Math.round(ms / 100) / 10}s`;
async function followDeploy(options) {
  const { signal, timing } = options;
  let last;
  const deliver = (update) => {
    last = update.deploy;
    options.onUpdate(update);
  };
  let failures = 0;
  for (; ; ) {
    const outcome = await streamOnce(options, deliver, () => last);
    if (outcome.kind === "final") return outcome;
    if (outcome.kind === "interrupted") return { kind: "interrupted", ...last ? { deploy: last } : {} };
    if (outcome.kind === "fatal") return { kind: "lost", failure: outcome.failure, ...last ? { deploy: last } : {} };
    if (outcome.progressed) failures = 0;
    const delay = timing.reconnectDelaysMs[failures++];
    if (delay === void 0) break;
    options.onNotice(`Lost the event stream (${outcome.why}); reconnecting in ${seconds(delay)}\u2026`);
    await options.sleep(delay, signal);
    if (signal.aborted) return { kind: "interrupted", ...last ? { deploy: last } : {} };
  }
  options.onNotice(`Could not re-open the event stream; checking the deploy every ${seconds(timing.pollMs)} instead.`);
  let pollFailures = 0;
  for (; ; ) {
    const answer = await options.api.getDeploy(options.deployId, signal);
    if (signal.aborted) return { kind: "interrupted", ...last ? { deploy: last } : {} };
    if (answer.ok) {
      pollFailures = 0;
      if (JSON.stringify(answer.value) !== JSON.stringify(last)) deliver({ type: "snapshot", deploy: answer.value });
      if (isFinalView(answer.value)) return { kind: "final", deploy: answer.value };
    } else if (isFatal(answer.failure) || ++pollFailures >= timing.maxPollFailures) {
      return { kind: "lost", failure: answer.failure, ...last ? { deploy: last } : {} };
    }
    await options.sleep(timing.pollMs, signal);
    if (signal.aborted) return { kind: "interrupted", ...last ? { deploy: last } : {} };
  }
}
async function streamOnce(options, deliver, current) {
  const { signal } = options;
  if (signal.aborted) return { kind: "interrupted" };
  const connection = new AbortController();
  const stopOnInterrupt = () => connection.abort();
  signal.addEventListener("abort", stopOnInterrupt, { once: true });
  let idle = false;
  let idleTimer;
  const resetIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      idle = true;
      connection.abort();
    }, options.timing.idleTimeoutMs);
  };
  const before = JSON.stringify(current());
  const progressed = () => JSON.stringify(current()) !== before;
  try {
    resetIdle();
    const opened = await options.api.openEvents(options.deployId, connection.signal, resetIdle);
    if (signal.aborted) return { kind: "interrupted" };
    if (!opened.ok) {
      if (opened.failure.kind === "aborted" && idle) return { kind: "dropped", why: "the server sent nothing", progressed: false };
      if (isFatal(opened.failure)) return { kind: "fatal", failure: opened.failure };
      return { kind: "dropped", why: describeDrop(opened.failure), progressed: false };
    }
    for await (const event of opened.value) {
      if (event.event === "end") {
        const reason = parseData(event).reason;
        if (reason === "gone") {
          const message = `deploy ${options.deployId} is no longer on the server.`;
          return { kind: "fatal", failure: { kind: "http", server: options.api.server, status: 404, message } };
        }
        const view = current();
        if (view && isFinalView(view)) return { kind: "final", deploy: view };
        return { kind: "dropped", why: reason === "shutting_down" ? "the server is restarting" : "the server ended it", progressed: progressed() };
      }
      const update = parseUpdate(event);
      if (!update) continue;
      deliver(update);
      if (isFinalView(update.deploy)) return { kind: "final", deploy: update.deploy };
    }
    if (signal.aborted) return { kind: "interrupted" };
    return { kind: "dropped", why: idle ? "the server went quiet" : "the connection closed", progressed: progressed() };
  } catch (error) {
    if (signal.aborted) return { kind: "interrupted" };
    const why = idle ? "the server went quiet" : error instanceof Error ? error.message : String(error);
    return { kind: "dropped", why, progressed: progressed() };
  } finally {
    clearTimeout(idleTimer);
    signal.removeEventListener("abort", stopOnInterrupt);
    connection.abort();
  }
}
function describeDrop(failure) {
  switch (failure.kind) {
    case "unreachable":
      return failure.detail;
    case "timeout":
      return `no answer within ${failure.seconds}s`;
    case "http":
      return `the server answered ${failure.status}`;
    case "aborted":
      return "stopped";
  }
}

// src/action/follow-to-report.ts
function finalMessage(deploy) {
  const what = `${deploy.rollbackOf ? "Rollback" : "Deploy"} ${deploy.id} of ${deploy.service}/${deploy.env} at ${deploy.sha.slice(0, 7)}`;
  if (deploy.state === "succeeded") return `${what} succeeded${deploy.artifact ? ` (artifact ${deploy.artifact})` : ""}.`;
  if (deploy.state === "failed") return `${what} failed: ${deploy.error ?? "the pipeline failed"}.${deploy.executionUrl ? ` Pipeline: ${deploy.executionUrl}` : ""}`;
  if (deploy.state === "cancelled") return `${what} was cancelled${deploy.error ? `: ${deploy.error}` : ""}.`;
  return `${what} is ${deploy.state}.`;
}
function reportOfDeploy(inputs, deploy, message = finalMessage(deploy)) {
  const passed = deploy.state !== "failed" && deploy.state !== "cancelled";
  return { command: inputs.command, service: inputs.service, environment: inputs.environment, passed, state: deploy.state, message, deploy };
}
async function followToReport(options) {
  const { inputs, log } = options;
  const id = options.deploy.id;
  const stop = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stop.abort();
  }, inputs.timeoutMs);
  const onCancel = () => stop.abort();
  options.cancelled.addEventListener("abort", onCancel, { once: true });
  if (options.cancelled.aborted) stop.abort();
  log.info(`Following deploy ${id} until it ends (timeout ${formatDuration2(inputs.timeoutMs)}).`);
  let previous;
  try {
    const result = await followDeploy({
      api: options.api,
      deployId: id,
      onUpdate: (update) => {
        for (const line of describeChanges(previous, update.deploy, update.note)) log.info(line);
        previous = update.deploy;
      },
      onNotice: (text) => log.info(text),
      signal: stop.signal,
      sleep: options.sleep,
      timing: options.timing
    });
    if (result.kind === "final") return reportOfDeploy(inputs, result.deploy);
    const last = result.deploy ?? previous ?? options.deploy;
    const goesOn = `It goes on on the server; follow it with \`whistlestop deploys ${inputs.service} ${inputs.environment}\`, or stop it with the command \`cancel\`.`;
    if (result.kind === "interrupted") {
      const why = timedOut ? `is still ${last.state} after the timeout of ${formatDuration2(inputs.timeoutMs)}` : `was being followed when the job was cancelled`;
      return { ...reportOfDeploy(inputs, last, `Deploy ${id} ${why}. ${goesOn}`), passed: false };
    }
    return { ...reportOfDeploy(inputs, last, `Lost track of deploy ${id}: ${describeFailure(result.failure)} ${goesOn}`), passed: false };
  } finally {
    clearTimeout(timer);
    options.cancelled.removeEventListener("abort", onCancel);
  }
}

// src/action/runner-files.ts
import { randomUUID as randomUUID2 } from "node:crypto";
import { appendFileSync } from "node:fs";
function formatOutput(name, value, delimiter = `ghadelimiter_${randomUUID2()}`) {
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error(`The output "${name}" contains its delimiter; not writing it.`);
  return `${name}<<${delimiter}
${value}
${delimiter}
`;
}
function appendOutputs(path, outputs) {
  if (!path) return false;
  appendFileSync(path, Object.entries(outputs).map(([name, value]) => formatOutput(name, value)).join(""), "utf8");
  return true;
}
function appendSummary(path, markdown) {
  if (!path) return false;
  appendFileSync(path, markdown.endsWith("\n") ? markdown : `${markdown}
`, "utf8");
  return true;
}

// src/action/workflow-log.ts
function escapeData(text) {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(text) {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
var WorkflowLog = class {
  constructor(write) {
    this.write = write;
  }
  info(line) {
    for (const part of line.split(/\r\n|\r|\n/)) this.write(`${part.replace(/^(\s*):(?=:)/, "$1: ")}
`);
  }
  error(message, title2) {
    this.command("error", message, title2);
  }
  warning(message, title2) {
    this.command("warning", message, title2);
  }
  notice(message, title2) {
    this.command("notice", message, title2);
  }
  group(name) {
    this.write(`::group::${escapeData(name)}
`);
  }
  endGroup() {
    this.write("::endgroup::\n");
  }
  /** From here on the runner replaces `secret` with *** in the log. */
  mask(secret) {
    if (secret !== "") this.write(`::add-mask::${escapeData(secret)}
`);
  }
  command(name, message, title2) {
    const properties = title2 ? ` title=${escapeProperty(title2)}` : "";
    this.write(`::${name}${properties}::${escapeData(message)}
`);
  }
};

// src/action/run-action.ts
var DEFAULT_ACTION_TIMING = {
  requestTimeoutMs: 3e4,
  retryDelaysMs: [2e3, 5e3, 1e4],
  reconnectDelaysMs: [1e3, 2e3, 4e3, 8e3],
  pollMs: 5e3,
  maxPollFailures: 12,
  idleTimeoutMs: 45e3
};
var READS = /* @__PURE__ */ new Set(["check", "diff", "status"]);
var GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;
var MAX_KEY = 200;
function idempotencyKey(inputs, env) {
  const run = env.GITHUB_RUN_ID?.trim();
  const base = run ? `${run}-${env.GITHUB_RUN_ATTEMPT?.trim() || "1"}` : `local-${randomUUID3()}`;
  const key = `${base}-${inputs.command}-${inputs.deployId ?? `${inputs.service}-${inputs.environment}`}`;
  return key.length <= MAX_KEY ? key : `gha-${createHash("sha256").update(key).digest("hex")}`;
}
var sleep = (ms, signal) => new Promise((resolve) => {
  if (signal?.aborted) return resolve();
  const done = () => {
    clearTimeout(timer);
    signal?.removeEventListener("abort", done);
    resolve();
  };
  const timer = setTimeout(done, ms);
  signal?.addEventListener("abort", done, { once: true });
});
async function runAction(io) {
  const log = new WorkflowLog(io.write);
  log.mask(readInput(io.env, "token"));
  const parsed = readActionInputs(io.env);
  if (!parsed.ok) {
    log.error(parsed.message, "Whistlestop: invalid inputs");
    return 1;
  }
  const inputs = parsed.inputs;
  const text = buildCommandText(inputs, io.env.GITHUB_SHA);
  if (!text.ok) {
    log.error(text.message, "Whistlestop: invalid inputs");
    return 1;
  }
  const report = await perform(inputs, text.text, io, log);
  return finish(report, io, log);
}
async function perform(inputs, text, io, log) {
  const timing = { ...DEFAULT_ACTION_TIMING, ...io.timing };
  const api = new ActionApi({ server: inputs.serverUrl, token: inputs.token, fetch: io.fetch, requestTimeoutMs: timing.requestTimeoutMs, retryDelaysMs: timing.retryDelaysMs, sleep });
  const actor = io.env.GITHUB_ACTOR?.trim();
  const body = { text, ...actor && GITHUB_LOGIN.test(actor) ? { githubActor: actor } : {} };
  const base = { command: inputs.command, service: inputs.service, environment: inputs.environment };
  const what = inputs.deployId ? `${inputs.command} ${inputs.deployId}` : `${inputs.command} ${inputs.service} ${inputs.environment}`;
  log.group(`Whistlestop ${what}`.trim());
  log.info(`Server:  ${inputs.serverUrl}`);
  log.info(`Command: ${text}`);
  const key = READS.has(inputs.command) ? void 0 : idempotencyKey(inputs, io.env);
  if (key) log.info(`Idempotency-Key: ${key}`);
  log.endGroup();
  const answer = await api.post(inputs.command === "check" ? "/api/v1/check" : "/api/v1/commands", body, key);
  if (!answer.ok) return { ...base, passed: false, state: "error", message: describeFailure(answer.failure) };
  const result = answer.result;
  log.info(result.message);
  if (inputs.command === "check") return checkReport(base, result);
  if (inputs.command === "diff" && result.diff) {
    const { sha, reasonCode: reasonCode2 } = result.diff;
    return { ...base, passed: true, state: "done", message: result.message, sha, ...reasonCode2 ? { reasonCode: reasonCode2 } : {} };
  }
  const reasonCode = result.reasonCode ? { reasonCode: result.reasonCode } : {};
  const deploy = result.deploy ? { deploy: result.deploy } : {};
  const where = result.deploy && !base.service ? { ...base, service: result.deploy.service, environment: result.deploy.env } : base;
  if (result.outcome === "refused") return { ...where, passed: false, state: "refused", message: result.message, ...reasonCode, ...deploy };
  const follows = inputs.command === "deploy" || inputs.command === "rollback" || inputs.command === "approve" && result.outcome !== "done";
  if (!result.deploy || !follows) {
    return { ...where, passed: true, state: "done", message: result.message, ...deploy };
  }
  const followed = { ...inputs, service: where.service, environment: where.environment };
  if (!inputs.wait || ["succeeded", "failed", "cancelled"].includes(result.deploy.state)) return reportOfDeploy(followed, result.deploy, result.message);
  const client = new ApiClient({ server: inputs.serverUrl, token: inputs.token }, { fetch: io.fetch, requestTimeoutMs: timing.requestTimeoutMs });
  return followToReport({ api: client, inputs: followed, deploy: result.deploy, log, cancelled: io.cancelled, timing, sleep });
}
function checkReport(base, result) {
  const deployable = result.deployable ?? result.outcome !== "refused";
  return {
    ...base,
    passed: deployable,
    state: deployable ? "deployable" : "blocked",
    message: result.message,
    ...result.reasonCode ? { reasonCode: result.reasonCode } : {}
  };
}
function finish(report, io, log) {
  const outputs = reportOutputs(report);
  if (!appendOutputs(io.env.GITHUB_OUTPUT, outputs)) {
    for (const [name, value] of Object.entries(outputs)) log.info(`output ${name}=${value}`);
  }
  const server = io.env.GITHUB_SERVER_URL?.trim() || "https://github.com";
  const repository = io.env.GITHUB_REPOSITORY?.trim();
  appendSummary(io.env.GITHUB_STEP_SUMMARY, renderSummary(report, repository ? { repositoryUrl: `${server}/${repository}` } : {}));
  if (report.passed) {
    log.notice(report.message, `Whistlestop: ${whereOf(report)} ${report.state}`);
    return 0;
  }
  const title2 = `Whistlestop: ${whereOf(report)} ${report.state}${report.reasonCode ? ` (${report.reasonCode})` : ""}`;
  log.error(report.message, title2);
  return 1;
}

// src/action/main.ts
var cancelled = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => cancelled.abort());
process.exitCode = await runAction({
  env: process.env,
  write: (text) => process.stdout.write(text),
  fetch: globalThis.fetch,
  cancelled: cancelled.signal
}).catch((error) => {
  const detail = error instanceof Error ? error.stack ?? error.message : String(error);
  process.stdout.write(`::error title=Whistlestop action crashed::${detail.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}
`);
  return 1;
});
