import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Values the server hands to the browser and must get back unchanged (the session cookie, a
 * pending confirmation, the one-time message after an action): `<value>.<HMAC-SHA256>`.
 */
export class SignedValues {
  constructor(private readonly key: Buffer) {}

  private mac(purpose: string, value: string): string {
    return createHmac("sha256", this.key).update(`${purpose}\n${value}`).digest("base64url");
  }

  /** `purpose` keeps a value signed for one use from being accepted for another. */
  sign(purpose: string, value: string): string {
    return `${value}.${this.mac(purpose, value)}`;
  }

  verify(purpose: string, signed: string | undefined): string | undefined {
    if (!signed) return undefined;
    const dot = signed.lastIndexOf(".");
    if (dot <= 0) return undefined;
    const value = signed.slice(0, dot);
    return equal(signed.slice(dot + 1), this.mac(purpose, value)) ? value : undefined;
  }

  /** A token derived from a secret: the CSRF token of a session is one, so it needs no storage. */
  derive(purpose: string, secret: string): string {
    return this.mac(purpose, secret);
  }
}

export function equal(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Cookies of a request, by name; a malformed pair is skipped. */
export function readCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

export interface CookieOptions {
  /** Seconds; 0 removes the cookie. Absent: until the browser closes. */
  readonly maxAge?: number;
  readonly secure: boolean;
}

/** Always HttpOnly, SameSite=Lax and for the whole site: no script reads them, no other site sends them on a POST. */
export function cookieHeader(name: string, value: string, options: CookieOptions): string {
  return [
    `${name}=${value}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    ...(options.secure ? ["Secure"] : []),
    ...(options.maxAge !== undefined ? [`Max-Age=${options.maxAge}`] : []),
  ].join("; ");
}
