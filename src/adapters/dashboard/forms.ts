import { randomBytes } from "node:crypto";
import type { ActionVerb } from "./actions.js";
import { html, type SafeHtml } from "./html.js";
import type { PageContext } from "./page.js";

/** The hidden fields every action form carries: the session's CSRF token, a one-time key, and where to come back. */
export function formBasics(context: PageContext): SafeHtml {
  const back = `${context.url.pathname}${context.url.search}`;
  return html`<input type="hidden" name="csrf" value="${context.viewer.csrf}"><input type="hidden" name="nonce" value="${randomBytes(12).toString("base64url")}"><input type="hidden" name="back" value="${back}">`;
}

/** One button that posts `verb` with `fields` (a deploy id, a service and environment). */
export function actionButton(context: PageContext, verb: ActionVerb, label: string, fields: Readonly<Record<string, string>>, style: "plain" | "danger" = "plain"): SafeHtml {
  return html`<form method="post" action="/actions/${verb}" class="inline">${formBasics(context)}${Object.entries(fields).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  )}<button type="submit"${style === "danger" ? html` class="danger"` : ""}>${label}</button></form>`;
}

/** The lock form: which service and environment, for how long, and why. */
export function lockForm(context: PageContext, preset: { service?: string; env?: string } = {}): SafeHtml {
  const { config } = context.deps;
  const option = (value: string, chosen: string | undefined) => html`<option value="${value}"${value === chosen ? html` selected` : ""}>${value}</option>`;
  return html`<form method="post" action="/actions/lock" class="lock-form">
    ${formBasics(context)}
    <label>Service <select name="service">${Object.keys(config.services).map((s) => option(s, preset.service))}${option("all", preset.service)}</select></label>
    <label>Environment <select name="env">${Object.keys(config.environments).map((e) => option(e, preset.env))}${option("all", preset.env)}</select></label>
    <label>For <input name="for" placeholder="2h" size="6" inputmode="text" aria-describedby="lock-for-help"></label>
    <label class="grow">Reason <input name="reason" placeholder="debate prep" maxlength="500"></label>
    <button type="submit">Lock</button>
    <small id="lock-for-help">A duration like 90m or 2h; empty locks until unlocked.</small>
  </form>`;
}
