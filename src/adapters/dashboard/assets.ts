import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";

/** The dashboard's stylesheet and script, files of this folder copied next to the compiled code by the build. */
const FILES: Readonly<Record<string, string>> = {
  "/assets/dashboard.css": "text/css; charset=utf-8",
  "/assets/dashboard.js": "text/javascript; charset=utf-8",
};

interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

/** Read once at start-up: no CDN, nothing fetched at run time, and a missing file stops start-up rather than a page. */
export class DashboardAssets {
  private readonly assets = new Map<string, Asset>();
  /** Changes whenever a file does, so pages ask for the new one (`?v=`) and browsers may cache each for long. */
  readonly version: string;

  constructor(folder: URL = new URL("./assets/", import.meta.url)) {
    const digest = createHash("sha256");
    for (const [path, type] of Object.entries(FILES)) {
      const body = readFileSync(new URL(path.slice("/assets/".length), folder));
      digest.update(body);
      this.assets.set(path, { body, type, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 16)}"` });
    }
    this.version = digest.digest("hex").slice(0, 12);
  }

  has(path: string): boolean {
    return this.assets.has(path);
  }

  send(path: string, ifNoneMatch: string | undefined, res: ServerResponse, head: boolean): void {
    const asset = this.assets.get(path)!;
    const headers = { "Content-Type": asset.type, ETag: asset.etag, "Cache-Control": "public, max-age=31536000, immutable", "X-Content-Type-Options": "nosniff" };
    if (ifNoneMatch === asset.etag) {
      res.writeHead(304, headers);
      return void res.end();
    }
    res.writeHead(200, { ...headers, "Content-Length": asset.body.length });
    res.end(head ? undefined : asset.body);
  }
}
