import { dashboardSurface, type DashboardOptions } from "../../src/adapters/dashboard/dashboard-surface.js";
import type { Identity } from "../../src/core/ports/source-control.js";
import type { SurfaceFactory } from "../../src/ports/surface.js";
import { FakeGitHubOAuth } from "../slack/fake-github-oauth.js";
import { testIdentity } from "../slack/slack-test-app.js";
import { startTestApp, type TestApp, type TestAppOptions } from "../kit/test-app.js";

export const CLIENT_ID = "Iv1.dashboardtest";
export const CLIENT_SECRET = "dashboard-client-secret-0123456789";

/** GitHub as the dashboard tests see it: the Slack tests' people, and who is in the whistlestop-demo organisation. */
export function identityWithMembers(members: readonly string[]): Identity {
  return { ...testIdentity, isOrgMember: async (org, login) => org === "whistlestop-demo" && members.includes(login) };
}

/** The fake GitHub OAuth server (a local HTTP server: the tests never reach the internet) and the dashboard signing in through it. */
export async function fakeGitHubSignIn(login: string): Promise<{ github: FakeGitHubOAuth; surface: (publicUrl: () => string, extra?: Partial<DashboardOptions>) => SurfaceFactory }> {
  const github = await new FakeGitHubOAuth(CLIENT_ID, CLIENT_SECRET, login).start();
  return {
    github,
    // The public URL is the test server's own, known only once it listens: read it when the surface is built... and when a request needs it.
    surface: (publicUrl, extra = {}) => (context) =>
      dashboardSurface({
        signIn: {
          kind: "github",
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          get publicUrl() {
            return publicUrl();
          },
          webUrl: github.url,
          apiUrl: `${github.url}/api/v3`,
        },
        stream: { tickMs: 60_000 },
        ...extra,
      })(context),
  };
}

/** A client that keeps cookies, follows nothing by itself, and reads forms' hidden fields: a browser without a browser. */
export class CookieClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  private absorb(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (attributes.some((a) => /^\s*max-age=0$/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private header(): Record<string, string> {
    return this.cookies.size ? { Cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } : {};
  }

  async get(path: string): Promise<{ status: number; location: string | null; text: string; response: Response }> {
    const url = path.startsWith("http") ? path : `${this.base}${path}`;
    const response = await fetch(url, { redirect: "manual", headers: url.startsWith(this.base) ? this.header() : {} });
    if (url.startsWith(this.base)) this.absorb(response);
    return { status: response.status, location: response.headers.get("location"), text: await response.text(), response };
  }

  async post(path: string, form: Record<string, string>): Promise<{ status: number; location: string | null; text: string; response: Response }> {
    const response = await fetch(`${this.base}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { ...this.header(), "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
    this.absorb(response);
    return { status: response.status, location: response.headers.get("location"), text: await response.text(), response };
  }

  /** Sign-in page → GitHub (fake) → callback → the page asked for. Returns the final page's status. */
  async signIn(next = "/"): Promise<{ status: number; text: string }> {
    let step = await this.get(`/auth/sign-in?go=1&next=${encodeURIComponent(next)}`);
    for (let hops = 0; hops < 5 && step.location; hops++) step = await this.get(new URL(step.location, this.base).toString());
    return step;
  }
}

/** The first hidden input named `name` in a page (the CSRF token of the session, a form's nonce). */
export function hiddenField(page: string, name: string): string | undefined {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1];
}

/**
 * The test app with the dashboard mounted, signing `login` in through the fake GitHub OAuth
 * server; `members` are the organisation's members (default: `login` alone). The surface reads
 * the app's own URL once it listens. `close()` stops both.
 */
export async function startDashboardTestApp(login: string, options: TestAppOptions & { members?: readonly string[] } = {}): Promise<{ t: TestApp; github: FakeGitHubOAuth; close(): Promise<void> }> {
  const { members = [login], ...appOptions } = options;
  const fake = await fakeGitHubSignIn(login);
  const publicUrl = { value: "http://127.0.0.1" };
  const t = await startTestApp({ identity: identityWithMembers(members), ...appOptions, surfaces: [fake.surface(() => publicUrl.value), ...(appOptions.surfaces ?? [])] });
  publicUrl.value = t.url;
  return {
    t,
    github: fake.github,
    async close() {
      await t.close();
      await fake.github.close();
    },
  };
}
