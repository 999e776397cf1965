import { generateKeyPairSync } from "node:crypto";
import { writeFileSync } from "node:fs";

let key: string | undefined;

/**
 * A throwaway RSA key (PKCS#1 PEM) for GitHub App authentication against the fake GitHub API,
 * which checks no JWTs. Made once per process: a 2048-bit key takes a noticeable moment.
 */
export function throwawayPrivateKey(): string {
  key ??= generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;
  return key;
}

/** The throwaway key written to `path`, readable by its owner only, as PRIVATE_KEY_PATH expects. */
export function writeThrowawayPrivateKey(path: string): string {
  writeFileSync(path, throwawayPrivateKey(), { mode: 0o600 });
  return path;
}
