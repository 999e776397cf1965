import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleAdminRequest } from "./admin-routes.js";
import { AwsServiceError } from "./aws-service-error.js";
import { Emulator, type CallerCredentials, type EmulatorOptions } from "./emulator.js";
import { assumeRoleXml, stsErrorXml } from "./sts-emulator.js";
import { CLOUDWATCH_TARGET_PREFIX } from "./cloudwatch-emulator.js";

export interface StartEmulatorOptions extends EmulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1: the emulator has no authentication. */
  readonly host?: string;
  /** Serve an existing emulator instead of creating one. */
  readonly emulator?: Emulator;
}

export interface RunningEmulator {
  /** Base URL; set AWS_ENDPOINT_URL_CODEPIPELINE (or the client's endpoint) to it. */
  readonly url: string;
  readonly emulator: Emulator;
  close(): Promise<void>;
}

const TARGET_PREFIX = "CodePipeline_20150709.";
const JSON_TYPE = "application/x-amz-json-1.1";
const JSON_10_TYPE = "application/x-amz-json-1.0";
/** `Credential=AKID/20261203/us-east-1/codepipeline/aws4_request` in a SigV4 Authorization header. */
const CREDENTIAL_SCOPE = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Serves CodePipeline's awsJson1_1 protocol (and CloudWatch's DescribeAlarms in awsJson1_0) over HTTP: POST / with X-Amz-Target, JSON in and out,
 * errors as {"__type", "message"}. Signatures are accepted without checking; it is a local stand-in.
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const emulator = options.emulator ?? new Emulator(options);
  const server = createServer((request, response) => {
    handle(emulator, request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { __type: "InternalFailure", message: String(error) });
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    emulator,
    close: async () => {
      emulator.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(emulator: Emulator, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const raw = await readBody(request);
  const path = new URL(request.url ?? "/", "http://emulator").pathname;
  if (path.startsWith("/_emulator/")) {
    const body = raw.length === 0 ? {} : safeParse(raw);
    if (body === undefined || typeof body !== "object" || body === null) return send(response, 400, { error: "body must be a JSON object" }, "application/json");
    const result = handleAdminRequest(emulator, request.method ?? "GET", path, body as Record<string, unknown>);
    return send(response, result.status, result.body, "application/json");
  }
  const caller = callerOf(request);
  if (request.method === "POST" && String(request.headers["content-type"] ?? "").includes("x-www-form-urlencoded")) {
    return answerSts(emulator, new URLSearchParams(raw), caller, response);
  }
  const target = request.headers["x-amz-target"];
  if (request.method !== "POST" || typeof target !== "string") {
    return send(response, 404, { __type: "UnknownOperationException", message: "Expected POST / with an X-Amz-Target header" });
  }
  const cloudwatch = target.startsWith(CLOUDWATCH_TARGET_PREFIX);
  if (!target.startsWith(TARGET_PREFIX) && !cloudwatch) {
    return send(response, 400, { __type: "UnknownOperationException", message: `Unknown target ${target}` });
  }
  // CloudWatch speaks AWS JSON 1.0, CodePipeline 1.1: the same bodies, another content type.
  const type = cloudwatch ? JSON_10_TYPE : JSON_TYPE;
  const input = raw.length === 0 ? {} : safeParse(raw);
  if (input === undefined) return send(response, 400, { __type: "SerializationException", message: "Request body is not valid JSON" }, type);
  try {
    const answer = cloudwatch
      ? emulator.callCloudWatch(target.slice(CLOUDWATCH_TARGET_PREFIX.length), input, caller)
      : emulator.call(target.slice(TARGET_PREFIX.length), input, caller);
    send(response, 200, answer ?? {}, type);
  } catch (error) {
    if (error instanceof AwsServiceError) return send(response, error.status, error.toBody(), type);
    throw error;
  }
}

/** Who signed the request, read from its SigV4 Authorization header (the signature itself is not checked). */
function callerOf(request: IncomingMessage): CallerCredentials {
  const scope = CREDENTIAL_SCOPE.exec(String(request.headers.authorization ?? ""));
  return scope ? { accessKeyId: scope[1]!, region: scope[2]! } : {};
}

/** STS speaks the query protocol: a form body with Action=…, XML answers. Only AssumeRole is served. */
function answerSts(emulator: Emulator, params: URLSearchParams, caller: CallerCredentials, response: ServerResponse): void {
  const requestId = randomUUID();
  const xml = (status: number, body: string) => {
    response.writeHead(status, { "content-type": "text/xml", "content-length": Buffer.byteLength(body), "x-amzn-requestid": requestId });
    response.end(body);
  };
  const action = params.get("Action");
  if (action !== "AssumeRole") return xml(400, stsErrorXml(new AwsServiceError("InvalidAction", `The emulator's STS serves AssumeRole only, not ${action ?? "(no Action)"}`), requestId));
  try {
    xml(200, assumeRoleXml(emulator.sts.assumeRole(params, caller.accessKeyId), requestId));
  } catch (error) {
    if (!(error instanceof AwsServiceError)) throw error;
    xml(error.status, stsErrorXml(error, requestId));
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(response: ServerResponse, status: number, body: unknown, contentType = JSON_TYPE): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(payload),
    "x-amzn-requestid": randomUUID(),
  });
  response.end(payload);
}
