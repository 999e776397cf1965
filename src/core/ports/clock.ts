/** Time is injected so windows, lock expiry and DST are plain tables in tests. */
export interface Clock {
  now(): Date;
}

/** Makes deploy ids. Ids match ^[a-zA-Z0-9-]{1,128}$ (CodePipeline clientRequestToken). */
export interface IdGenerator {
  newId(): string;
}
