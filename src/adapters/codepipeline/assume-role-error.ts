/** Assuming a pipeline's role failed; the SDK's own error is the cause. */
export class AssumeRoleError extends Error {
  constructor(
    readonly roleArn: string,
    readonly externalIdSent: boolean,
    cause: unknown,
  ) {
    super(`could not assume ${roleArn}: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`, { cause });
    this.name = "AssumeRoleError";
  }
}
