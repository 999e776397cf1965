import type { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { createCodePipelineClient } from "../../src/adapters/codepipeline/create-codepipeline-client.js";

/** A real SDK client pointed at a test endpoint: static credentials, no jitter delay, few attempts. */
export function testClient(endpoint: string, maxAttempts = 3): CodePipelineClient {
  return createCodePipelineClient({
    maxAttempts,
    random: () => 0,
    clientConfig: {
      endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    },
  });
}
