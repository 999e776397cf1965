import { createHash } from "node:crypto";
import type { PrNotice, PrShipment } from "../../core/model/pr-notice.js";
import { formatMoment } from "../../core/policies/format-moment.js";
import { markdownText } from "./change-set-markdown.js";

/** Hidden in the rendered comment: people (and Whistlestop) can find the bot's "shipped" comment. */
export const SHIP_NOTICE_MARKER = "<!-- whistlestop:shipped -->";

/**
 * The PR's one "where is it live" comment: every place it reached, oldest first, with when and by
 * which deploy, then the places a rollback took it out of again. Several services deploying one
 * repository are told apart as service/env. Times are in the configuration's zone, shortened to the
 * time of day after an earlier one on the same day.
 */
export function shipNoticeBody(notice: PrNotice, timeZone: string): string {
  const services = new Set(notice.shipments.map((s) => s.service));
  const place = (s: PrShipment) => `**${markdownText(services.size > 1 ? `${s.service}/${s.env}` : s.env)}**`;
  let previous: Date | undefined;
  const when = (at: string): string => {
    const moment = new Date(at);
    const text = formatMoment(moment, timeZone, previous);
    previous = moment;
    return text;
  };
  const shipped = notice.shipments.map((s) => `${place(s)} at ${when(s.shippedAt)} (deploy \`${s.deployId}\`)`);
  const lines = [SHIP_NOTICE_MARKER, `🚢 Shipped to ${shipped.join(", ")}.`];
  const takenOut = notice.shipments
    .filter((s): s is PrShipment & Required<Pick<PrShipment, "takenOut">> => s.takenOut !== undefined)
    .sort((a, b) => a.takenOut.at.localeCompare(b.takenOut.at));
  if (takenOut.length > 0) lines.push(`↩️ Rolled back from ${takenOut.map((s) => `${place(s)} at ${when(s.takenOut.at)} (deploy \`${s.takenOut.deployId}\`)`).join(", ")}: not live there now.`);
  lines.push("", "<sub>Whistlestop edits this comment as the change reaches more environments.</sub>");
  return lines.join("\n");
}

/** What the store keeps of a body: enough to know the comment already shows it. */
export function bodyDigest(body: string): string {
  return createHash("sha256").update(body).digest("hex").slice(0, 32);
}
