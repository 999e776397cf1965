/** Who took a PR out of an environment again, and when (a rollback, or a deploy of an older commit). */
export interface TakenOut {
  readonly deployId: string;
  readonly at: string;
}

/** A merged PR reached (service, env) with a deploy. */
export interface PrShipment {
  /** owner/name in lower case: GitHub names are case-insensitive. */
  readonly repo: string;
  readonly prNumber: number;
  readonly service: string;
  readonly env: string;
  readonly deployId: string;
  readonly sha: string;
  /** When the deploy that shipped it finished. */
  readonly shippedAt: string;
  /** Set when it left (service, env) after shippedAt; a later shipment there clears it. */
  readonly takenOut?: TakenOut;
}

/** A PR's "where is it live" comment, as the store knows it, with every shipment it lists. */
export interface PrNotice {
  readonly repo: string;
  readonly prNumber: number;
  /** The bot's comment on the PR, once it was created. */
  readonly commentId?: number;
  /** A digest of the body the comment shows, so an unchanged body is never written again. */
  readonly shown?: string;
  /** Oldest shipment first. */
  readonly shipments: readonly PrShipment[];
}

/** What a writer that held a PR's comment leaves behind: the comment's id and what it shows now. */
export interface ShownComment {
  readonly commentId: number;
  readonly shown: string;
}
