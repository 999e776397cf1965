import { html, type SafeHtml } from "./html.js";
import type { Flash } from "./flash.js";
import { flashBlock } from "./flash.js";
import type { Viewer } from "./page.js";

export interface LayoutInput {
  readonly title: string;
  readonly body: SafeHtml;
  readonly path: string;
  readonly nav: readonly { readonly path: string; readonly label: string }[];
  readonly viewer?: Viewer;
  readonly flash?: Flash;
  /** The event stream the client script listens to; absent on pages that are not live. */
  readonly stream?: string;
  readonly timezone: string;
  readonly assetVersion: string;
}

const isCurrent = (navPath: string, path: string): boolean => (navPath === "/" ? path === "/" : path === navPath || path.startsWith(`${navPath}/`));

/** The page around every page: a skip link, the navigation, who is signed in, the one-time message, the content. */
export function layout(input: LayoutInput): SafeHtml {
  const { viewer } = input;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title} · Whistlestop</title>
<link rel="stylesheet" href="/assets/dashboard.css?v=${input.assetVersion}">
<script src="/assets/dashboard.js?v=${input.assetVersion}" defer></script>
</head>
<body data-stream="${input.stream ?? ""}" data-timezone="${input.timezone}">
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/">Whistlestop</a>
  <nav aria-label="Pages"><ul>
    ${input.nav.map((item) => html`<li><a href="${item.path}"${isCurrent(item.path, input.path) ? html` aria-current="page"` : ""}>${item.label}</a></li>`)}
  </ul></nav>
  ${viewer
    ? html`<form class="who" method="post" action="/auth/sign-out">
        <span>Signed in as <strong>${viewer.actor.name}</strong></span>
        <input type="hidden" name="csrf" value="${viewer.csrf}">
        <button type="submit" class="link">Sign out</button>
      </form>`
    : ""}
</header>
<main id="main" tabindex="-1">
  <h1>${input.title}</h1>
  ${input.flash ? flashBlock(input.flash, viewer) : ""}
  ${input.body}
  <p class="live-status" aria-live="polite" id="live-status">${input.stream ? "Live: this page updates as deploys move." : ""}</p>
</main>
</body>
</html>`;
}

/** A page for a visitor who cannot see the dashboard (signed-in non-member, store down, bad form). */
export function messagePage(title: string, paragraphs: readonly SafeHtml[] | readonly string[], assetVersion: string, timezone: string): SafeHtml {
  return layout({
    title,
    body: html`${paragraphs.map((p) => html`<p>${p}</p>`)}`,
    path: "",
    nav: [],
    timezone,
    assetVersion,
  });
}
