import { createHmac, timingSafeEqual } from "node:crypto";

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * GitHub's X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the raw body with the webhook
 * secret. Compared in constant time; anything malformed is simply not valid.
 */
export function verifyWebhookSignature(secret: string, body: Buffer | string, signature: string | undefined): boolean {
  if (!secret || typeof signature !== "string") return false;
  const match = SIGNATURE.exec(signature.trim());
  if (!match) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(match[1]!, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
