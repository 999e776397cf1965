import type { IncomingMessage } from "node:http";
import { html, type SafeHtml } from "./html.js";
import type { Viewer } from "./page.js";
import { cookieHeader, readCookies, type SignedValues } from "./signed-values.js";

export const FLASH_COOKIE = "whistlestop_flash";

/** What an action answered, shown once on the page the visitor is sent back to. */
export interface Flash {
  /** "ok" for anything done or accepted, "refused" with the reason code, "confirm" for a question. */
  readonly kind: "ok" | "refused" | "confirm";
  readonly message: string;
  readonly reasonCode?: string;
  /** For "confirm": the signed pending command the Confirm button sends back. */
  readonly pending?: string;
}

/** The flash travels in a short-lived signed cookie, so a reload does not show it again and nobody can forge one. */
export class FlashCookies {
  constructor(
    private readonly signed: SignedValues,
    private readonly secure: boolean,
  ) {}

  set(flash: Flash): string {
    const value = Buffer.from(JSON.stringify(flash), "utf8").toString("base64url");
    return cookieHeader(FLASH_COOKIE, this.signed.sign("flash", value), { secure: this.secure, maxAge: 120 });
  }

  /** The flash of this request, if any, and the header that clears it. */
  take(req: IncomingMessage): { flash?: Flash; clear?: string } {
    const cookie = readCookies(req.headers.cookie).get(FLASH_COOKIE);
    if (cookie === undefined) return {};
    const clear = cookieHeader(FLASH_COOKIE, "", { secure: this.secure, maxAge: 0 });
    const value = this.signed.verify("flash", cookie);
    if (!value) return { clear };
    try {
      const parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as Flash;
      if (typeof parsed.message !== "string" || !["ok", "refused", "confirm"].includes(parsed.kind)) return { clear };
      return { flash: parsed, clear };
    } catch {
      return { clear };
    }
  }
}

/** The message as the page shows it: a refusal is an alert, a question has its Confirm button. */
export function flashBlock(flash: Flash, viewer: Viewer | undefined): SafeHtml {
  const role = flash.kind === "ok" ? "status" : "alert";
  return html`<section class="flash flash-${flash.kind}" role="${role}" id="flash">
    <p class="flash-message">${withCode(flash.message)}</p>
    ${flash.reasonCode && flash.kind === "refused" ? html`<p class="flash-code">reason: <code>${flash.reasonCode}</code></p>` : ""}
    ${flash.kind === "confirm" && flash.pending && viewer
      ? html`<form method="post" action="/actions/confirm" class="inline">
          <input type="hidden" name="csrf" value="${viewer.csrf}">
          <input type="hidden" name="pending" value="${flash.pending}">
          <button type="submit" class="danger">Confirm</button>
          <a href="">Cancel</a>
        </form>`
      : ""}
  </section>`;
}

/** Answers mark commands with backticks, as Slack and GitHub show them; here they become <code>. */
function withCode(message: string): SafeHtml[] {
  const parts = message.split("`");
  if (parts.length % 2 === 0) return [html`${message}`];
  return parts.map((part, i) => (i % 2 ? html`<code>${part}</code>` : html`${part}`));
}
