import { createHash, randomBytes } from "node:crypto";
import { AwsServiceError } from "./aws-service-error.js";

/** A role the emulator lets callers assume; with `externalId`, AssumeRole must send exactly it. */
export interface EmulatorRole {
  readonly externalId?: string;
}

/** Credentials AssumeRole handed out, and for which role. */
export interface IssuedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  readonly roleArn: string;
  readonly account: string;
  readonly sessionName: string;
}

export interface AssumeRoleRecord {
  readonly roleArn: string;
  readonly externalId?: string;
  readonly sessionName: string;
  /** The access key the request was signed with (the base credentials). */
  readonly callerAccessKeyId?: string;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(.+)$/;

/**
 * STS AssumeRole as the emulator serves it: every role may be assumed unless `roles` lists the
 * ones that exist, and each answer's credentials are remembered, so a later call signed with them
 * is known to come from that role (and its account).
 */
export class StsEmulator {
  /** How long issued credentials last; default one hour, as AssumeRole's default. */
  credentialLifetimeMs = 3_600_000;
  private roles: ReadonlyMap<string, EmulatorRole> | undefined;
  private readonly issued = new Map<string, IssuedCredentials>();
  private readonly calls: AssumeRoleRecord[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** From now on only these roles exist (undefined: any role may be assumed). */
  setRoles(roles: Readonly<Record<string, EmulatorRole>> | undefined): void {
    this.roles = roles ? new Map(Object.entries(roles)) : undefined;
  }

  assumeRole(params: URLSearchParams, callerAccessKeyId?: string): IssuedCredentials {
    const roleArn = params.get("RoleArn") ?? "";
    const sessionName = params.get("RoleSessionName") ?? "";
    const externalId = params.get("ExternalId") ?? undefined;
    this.calls.push({ roleArn, sessionName, ...(externalId !== undefined ? { externalId } : {}), ...(callerAccessKeyId ? { callerAccessKeyId } : {}) });
    const match = ROLE_ARN.exec(roleArn);
    if (!match) throw new AwsServiceError("ValidationError", `1 validation error detected: Value '${roleArn}' at 'roleArn' failed to satisfy constraint`);
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) throw new AwsServiceError("ValidationError", "RoleSessionName must be 2 to 64 characters of [\\w+=,.@-]");
    const role = this.roles ? this.roles.get(roleArn) : {};
    const denied = `User: arn:aws:iam::000000000000:user/whistlestop is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;
    if (!role) throw new AwsServiceError("AccessDenied", denied, 403);
    if (role.externalId !== undefined && role.externalId !== externalId) throw new AwsServiceError("AccessDenied", denied, 403);
    const accessKeyId = `ASIA${createHash("sha256").update(`${roleArn}:${this.calls.length}`).digest("hex").slice(0, 16).toUpperCase()}`;
    const credentials: IssuedCredentials = {
      accessKeyId,
      secretAccessKey: randomBytes(20).toString("base64"),
      sessionToken: randomBytes(32).toString("base64"),
      expiration: new Date(this.now() + this.credentialLifetimeMs),
      roleArn,
      account: match[1]!,
      sessionName,
    };
    this.issued.set(accessKeyId, credentials);
    return credentials;
  }

  /** The role behind an access key AssumeRole issued; undefined for any other key. */
  identify(accessKeyId: string): IssuedCredentials | undefined {
    return this.issued.get(accessKeyId);
  }

  assumeRoleCalls(): readonly AssumeRoleRecord[] {
    return [...this.calls];
  }

  /** Forgets the calls made so far; credentials handed out stay valid. */
  forgetCalls(): void {
    this.calls.length = 0;
  }
}

const escapeXml = (text: string): string =>
  text.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]!);

/** AssumeRole's answer in STS's query protocol (XML). */
export function assumeRoleXml(credentials: IssuedCredentials, requestId: string): string {
  const roleName = credentials.roleArn.split("/").pop() ?? "role";
  return [
    '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">',
    "<AssumeRoleResult>",
    "<Credentials>",
    `<AccessKeyId>${credentials.accessKeyId}</AccessKeyId>`,
    `<SecretAccessKey>${escapeXml(credentials.secretAccessKey)}</SecretAccessKey>`,
    `<SessionToken>${escapeXml(credentials.sessionToken)}</SessionToken>`,
    `<Expiration>${credentials.expiration.toISOString()}</Expiration>`,
    "</Credentials>",
    "<AssumedRoleUser>",
    `<AssumedRoleId>AROA${credentials.accessKeyId.slice(4)}:${escapeXml(credentials.sessionName)}</AssumedRoleId>`,
    `<Arn>arn:aws:sts::${credentials.account}:assumed-role/${escapeXml(roleName)}/${escapeXml(credentials.sessionName)}</Arn>`,
    "</AssumedRoleUser>",
    "</AssumeRoleResult>",
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`,
    "</AssumeRoleResponse>",
  ].join("");
}

/** An STS error in the query protocol. */
export function stsErrorXml(error: AwsServiceError, requestId: string): string {
  const type = error.status >= 500 ? "Receiver" : "Sender";
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>${type}</Type><Code>${error.type}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
