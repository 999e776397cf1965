import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * GitHub's OAuth web flow as a local server: /login/oauth/authorize approves at once and sends the
 * browser back with a code, /login/oauth/access_token trades a code (once) for a token, and
 * /api/v3/user says whose token it is.
 */
export class FakeGitHubOAuth {
  readonly codes = new Map<string, string>();
  readonly tokens = new Map<string, string>();
  readonly exchanges: Array<Record<string, unknown>> = [];
  private server: Server | undefined;
  url = "";

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
    /** Who signs in when the browser reaches /login/oauth/authorize. */
    public login: string,
  ) {}

  async start(): Promise<this> {
    let counter = 0;
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", this.url);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.method === "GET" && url.pathname === "/login/oauth/authorize") {
        if (url.searchParams.get("client_id") !== this.clientId) return json(404, { error: "unknown client" });
        const code = `code${++counter}${"x".repeat(16)}`;
        this.codes.set(code, this.login);
        const back = new URL(url.searchParams.get("redirect_uri")!);
        back.search = new URLSearchParams({ code, state: url.searchParams.get("state") ?? "" }).toString();
        res.writeHead(302, { Location: back.toString() });
        return void res.end();
      }
      if (req.method === "POST" && url.pathname === "/login/oauth/access_token") {
        let body = "";
        req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
        req.on("end", () => {
          const sent = JSON.parse(body) as Record<string, string>;
          this.exchanges.push(sent);
          const login = this.codes.get(sent.code ?? "");
          if (sent.client_id !== this.clientId || sent.client_secret !== this.clientSecret || !login) return json(200, { error: "bad_verification_code" });
          this.codes.delete(sent.code!);
          const token = `gho_fake${++counter}${"t".repeat(20)}`;
          this.tokens.set(token, login);
          json(200, { access_token: token, token_type: "bearer", scope: "" });
        });
        return;
      }
      if (req.method === "GET" && url.pathname === "/api/v3/user") {
        const login = this.tokens.get((req.headers.authorization ?? "").replace(/^Bearer /, ""));
        return login ? json(200, { login, id: 1 }) : json(401, { message: "Bad credentials" });
      }
      json(404, { message: "Not Found" });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
