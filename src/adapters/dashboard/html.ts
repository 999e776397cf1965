/**
 * HTML that is safe to send: built only by `html` (which escapes every interpolated value) or by
 * `raw` (for the few places that hold markup already made safe). A page is one of these.
 */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };

export const escapeHtml = (text: string): string => text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);

/** A value in a template: SafeHtml as it is, lists joined, nothing for null/undefined/false, the rest escaped. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/** html`<p>${text}</p>`: every value is escaped unless it is SafeHtml, so escaping is the default. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Markup that is already safe (a constant, or the output of html``). Never pass user input. */
export const raw = (markup: string): SafeHtml => new SafeHtml(markup);

/** A URL for an href: only http(s) and site-relative paths pass; anything else (javascript:) becomes "#". */
export function safeUrl(url: string | undefined): string {
  if (!url) return "#";
  if (url.startsWith("/") && !url.startsWith("//")) return url;
  return /^https?:\/\//i.test(url) ? url : "#";
}
