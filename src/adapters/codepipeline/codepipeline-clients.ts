import type { CodePipelineClient, CodePipelineClientConfig } from "@aws-sdk/client-codepipeline";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { PipelineLocation } from "../../core/model/pipeline-location.js";
import { AssumeRoleError } from "./assume-role-error.js";
import { AWS_HTTP_TIMEOUTS, createCodePipelineClient, type CodePipelineClientOptions } from "./create-codepipeline-client.js";

type BaseCredentials = NonNullable<CodePipelineClientConfig["credentials"]>;
type RoleCredentials = ReturnType<typeof fromTemporaryCredentials>;

export interface CodePipelineClientsOptions extends Omit<CodePipelineClientOptions, "clientConfig"> {
  /** Region for pipelines whose configuration names none (AWS_REGION). */
  readonly defaultRegion?: string;
  /** Endpoint and base credentials for every client (tests, the sandbox); default: the SDK's own chain. */
  readonly endpoint?: string;
  readonly credentials?: BaseCredentials;
  /** STS endpoint for AssumeRole; default AWS_ENDPOINT_URL_STS, else AWS's own. */
  readonly stsEndpoint?: string;
  /** Shown in CloudTrail as the assumed-role session; default "whistlestop". */
  readonly sessionName?: string;
}

/** What makes two pipelines share a client: the region, the role and its external id. */
export interface ClientKey {
  readonly region: string | undefined;
  readonly roleArn: string | undefined;
  readonly externalId: string | undefined;
}

export const clientKeyOf = (location: PipelineLocation, defaultRegion: string | undefined): ClientKey => ({
  region: location.region ?? defaultRegion,
  roleArn: location.roleArn,
  externalId: location.externalId,
});

/**
 * Builds the CodePipeline client for one (region, role). With a role, credentials come from STS
 * AssumeRole with the base credentials; the SDK keeps them and assumes the role again five minutes
 * before they expire. A role that cannot be assumed fails that client's calls (never falling back
 * to the base credentials) and is tried again at the next call.
 */
export function createClientFor(key: ClientKey, options: CodePipelineClientsOptions): CodePipelineClient {
  const { defaultRegion: _defaultRegion, endpoint, stsEndpoint: _sts, credentials: _base, sessionName: _session, ...retry } = options;
  const shared = { ...(endpoint ? { endpoint } : {}), ...(key.region ? { region: key.region } : {}) };
  const credentials = credentialsFor(key, options);
  return createCodePipelineClient({ ...retry, clientConfig: { ...shared, ...(credentials ? { credentials } : {}) } });
}

/**
 * The credentials of one (region, role), for any AWS client (CodePipeline, CloudWatch): the base
 * credentials, or with a role STS AssumeRole credentials made from them, never the base ones in
 * their place. Undefined: the SDK's own chain. Each call makes a new provider, which keeps its own
 * credentials: make one client per (region, role) and keep it.
 */
export function credentialsFor(key: ClientKey, options: Pick<CodePipelineClientsOptions, "stsEndpoint" | "credentials" | "sessionName">): BaseCredentials | RoleCredentials | undefined {
  const sts: StsSettings = { region: key.region, endpoint: options.stsEndpoint, masterCredentials: options.credentials, sessionName: options.sessionName ?? "whistlestop" };
  return key.roleArn ? assumedRoleCredentials(key.roleArn, key.externalId, sts) : options.credentials;
}

interface StsSettings {
  readonly region: string | undefined;
  readonly endpoint: string | undefined;
  readonly masterCredentials: BaseCredentials | undefined;
  readonly sessionName: string;
}

function assumedRoleCredentials(roleArn: string, externalId: string | undefined, sts: StsSettings): RoleCredentials {
  const provider = fromTemporaryCredentials({
    params: { RoleArn: roleArn, RoleSessionName: sts.sessionName, ...(externalId ? { ExternalId: externalId } : {}) },
    ...(sts.masterCredentials ? { masterCredentials: sts.masterCredentials } : {}),
    // Without an endpoint here, AWS_ENDPOINT_URL_STS (when set) is read by the STS client itself.
    clientConfig: { ...(sts.region ? { region: sts.region } : {}), ...(sts.endpoint ? { endpoint: sts.endpoint } : {}), requestHandler: AWS_HTTP_TIMEOUTS },
  });
  return async (properties) => {
    try {
      return await provider(properties);
    } catch (error) {
      throw new AssumeRoleError(roleArn, externalId !== undefined, error);
    }
  };
}
