import type { WhistlestopConfig } from "../model/config.js";
import type { IdentityStore, SlackUserRef } from "../ports/identity-store.js";

/** Whose GitHub login a Slack user acts as, and where that came from. */
export type PersonResolution =
  | { readonly login: string; readonly source: "people" | "link" }
  /** No login: `note` says why a link the person made does not count, when it is that. */
  | { readonly login?: undefined; readonly note?: string };

/**
 * Slack user → GitHub login. Precedence: a `people` entry in whistlestop.yml (an admin's word)
 * wins over the person's own link; a link to a login that `people` gives to someone else is
 * ignored (the admin's mapping says who that login is). A link that cannot be read counts as no
 * link: the person then passes only where an explicit `slack:U…` entry lets them.
 */
export class PeopleDirectory {
  private readonly holders: ReadonlyMap<string, string>;

  constructor(
    private readonly config: Pick<WhistlestopConfig, "people">,
    private readonly links: Pick<IdentityStore, "getSlackLink" | "findSlackLinksByLogins">,
    private readonly onLookupFailed: (error: unknown) => void = () => undefined,
  ) {
    this.holders = new Map(Object.entries(config.people).map(([slackId, login]) => [normal(login), slackId]));
  }

  /** The Slack user `people` maps `login` to, if any. */
  peopleHolderOf(login: string): string | undefined {
    return this.holders.get(normal(login));
  }

  /** The login from `people` alone (no store read). */
  fromPeople(userId: string): string | undefined {
    return Object.hasOwn(this.config.people, userId) ? this.config.people[userId] : undefined;
  }

  /**
   * The Slack user to mention for each GitHub login (a PR's author), keyed by the login in lower
   * case: the `people` entry first, else the one Slack user who linked that login. A login linked
   * by several Slack users is left out (mentioning the wrong person is worse than naming the
   * login), and so is every login when the links cannot be read: the caller names them instead.
   */
  async slackUsersOf(logins: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const found = new Map<string, string>();
    const unmapped: string[] = [];
    for (const login of new Set(logins.map(normal))) {
      const holder = this.holders.get(login);
      if (holder !== undefined) found.set(login, holder);
      else unmapped.push(login);
    }
    if (unmapped.length === 0) return found;
    let links;
    try {
      links = await this.links.findSlackLinksByLogins(unmapped);
    } catch (error) {
      this.onLookupFailed(error);
      return found;
    }
    const linkedBy = new Map<string, Set<string>>();
    for (const link of links) {
      const login = normal(link.login);
      linkedBy.set(login, (linkedBy.get(login) ?? new Set()).add(link.userId));
    }
    for (const [login, users] of linkedBy) if (users.size === 1) found.set(login, [...users][0]!);
    return found;
  }

  async resolve(user: SlackUserRef): Promise<PersonResolution> {
    const mapped = this.fromPeople(user.userId);
    if (mapped) return { login: mapped, source: "people" };
    let link;
    try {
      link = await this.links.getSlackLink(user);
    } catch (error) {
      this.onLookupFailed(error);
      return { note: "Whistlestop could not read your link to GitHub just now; try again in a minute." };
    }
    if (!link) return {};
    const holder = this.peopleHolderOf(link.login);
    if (holder !== undefined && holder !== user.userId) {
      return { note: `Your link to ${link.login} does not count: whistlestop.yml maps that login to ${holder} under people. Ask an admin to fix one of them.` };
    }
    return { login: link.login, source: "link" };
  }
}

const normal = (login: string): string => login.replace(/^@/, "").toLowerCase();
