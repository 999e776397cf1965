import type { ServerResponse } from "node:http";

const ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * One small HTML page for the link flow. The page's URL may carry the one-time state, so it is
 * never cached, never framed, and never sent on as a Referer.
 */
export function sendPage(res: ServerResponse, status: number, title: string, paragraphsHtml: readonly string[]): void {
  if (res.headersSent) return;
  const body =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${escapeHtml(title)} · Whistlestop</title></head><body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 3em auto">` +
    `<h1>${escapeHtml(title)}</h1>${paragraphsHtml.map((p) => `<p>${p}</p>`).join("")}</body></html>`;
  res.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  });
  res.end(body);
}
