/** Jest's globalTeardown: stops the embedded PostgreSQL that global-setup.ts started, if it started one. */
export default async function globalTeardown(): Promise<void> {
  const postgres = (globalThis as Record<symbol, { stop(): Promise<void> } | undefined>)[Symbol.for("whistlestop.test.postgres")];
  await postgres?.stop();
}
