import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, parse as parseYaml } from "yaml";
import { PROJECT_ROOT } from "../kit/process-helpers.js";
import { copyParts, ignoredByDockerignore, parseDockerfile, resolvedImage } from "./dockerfile.js";

/**
 * Images can't be built here, so this checks what can be: the Dockerfile names files that exist
 * and keeps its promises (Node 24, production install, non-root, /data, health check), and the
 * Compose, Kubernetes and ECS examples are valid and carry the fields docs/deploying.md promises.
 */
const read = (path: string) => readFileSync(join(PROJECT_ROOT, path), "utf8");
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The paths callers outside the network need; everything else stays inside. */
const PUBLIC_PATHS = ["/slack/events", "/api/github/webhooks", "/api/pipeline-events", "/api/v1", "/auth/github"];
const INTERNAL_PATHS = ["/metrics", "/healthz", "/readyz"];

/** Every variable a manifest sets is one Whistlestop (or an SDK it uses) reads. */
const sources = readdirSync(join(PROJECT_ROOT, "src"), { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".ts"))
  .map((file) => read(join("src", file)))
  .join("\n");
const SDK_VARIABLES = new Set(["AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "WEBHOOK_SECRET", "NODE_ENV"]);
function expectKnownVariable(name: string): void {
  const base = name.replace(/_FILE$/, "");
  expect({ name, known: SDK_VARIABLES.has(base) || sources.includes(base) }).toEqual({ name, known: true });
}

describe("Dockerfile", () => {
  const file = parseDockerfile(read("Dockerfile"));
  const ignore = read(".dockerignore")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  const last = file.stages.length - 1;
  const inLast = (keyword: string) => file.instructions.filter((i) => i.stage === last && i.keyword === keyword);

  test("is multi-stage on Node 24 LTS, and installs the runtime with npm ci --omit=dev", () => {
    expect(file.stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of file.stages) expect(resolvedImage(file, stage.image)).toMatch(/^node:24(\.\d+){0,2}-/);
    expect(file.instructions.some((i) => i.keyword === "RUN" && /\bnpm ci --omit=dev\b/.test(i.args))).toBe(true);
    expect(file.instructions.some((i) => i.keyword === "RUN" && /\bnpm run build\b/.test(i.args))).toBe(true);
  });

  test("copies only files that exist and that .dockerignore lets into the context; --from names a stage", () => {
    const names = new Set(file.stages.flatMap((stage) => (stage.name ? [stage.name] : [])));
    for (const copy of file.instructions.filter((i) => i.keyword === "COPY").map((i) => copyParts(i.args))) {
      if (copy.from !== undefined) {
        expect(names).toContain(copy.from);
        continue;
      }
      for (const source of copy.sources) {
        expect({ source, exists: existsSync(join(PROJECT_ROOT, source)), ignored: ignoredByDockerignore(ignore, source) }).toEqual({ source, exists: true, ignored: false });
      }
    }
    for (const kept of ["node_modules", "dist", ".git", "data", ".env"]) expect({ kept, ignored: ignoredByDockerignore(ignore, kept) }).toEqual({ kept, ignored: true });
  });

  test("runs bin/whistlestop.js start as a non-root user, with a /data volume and a health check on /healthz", () => {
    const user = inLast("USER").at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(inLast("VOLUME").map((i) => i.args).join(" ")).toMatch(/\/data\b/);
    expect(inLast("HEALTHCHECK").at(-1)?.args).toMatch(/\/healthz/);
    expect(inLast("ENTRYPOINT").at(-1)?.args).toMatch(/bin\/whistlestop\.js/);
    expect(inLast("CMD").at(-1)?.args).toMatch(/"start"/);
    // The runtime stage gets dist/ from the build and node_modules from the production install.
    const copies = inLast("COPY").map((i) => copyParts(i.args));
    expect(copies.some((c) => c.from !== undefined && c.sources.some((s) => s.endsWith("/dist")))).toBe(true);
    expect(copies.some((c) => c.from !== undefined && c.sources.some((s) => s.endsWith("/node_modules")))).toBe(true);
    expect(JSON.parse(read("tsconfig.build.json")).compilerOptions.outDir).toBe("dist");
  });
});

describe("docker-compose.yml", () => {
  const compose = parseYaml(read("docker-compose.yml"), { merge: true }) as Doc;
  const services = compose.services as Record<string, Doc>;
  const replicas = Object.entries(services).filter(([, service]) => service.build === ".");

  test("runs PostgreSQL and two Whistlestop replicas that share it", () => {
    expect(services.postgres?.image).toMatch(/^postgres:/);
    expect(replicas).toHaveLength(2);
    for (const [, replica] of replicas) {
      expect(replica.environment.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
      expect(replica.read_only).toBe(true);
      for (const name of Object.keys(replica.environment)) expectKnownVariable(name);
    }
  });

  test("puts them behind one port", () => {
    const published = Object.entries(services).filter(([, service]) => service.ports?.length);
    expect(published.map(([name]) => name)).toEqual(["proxy"]);
    const nginxConf = services.proxy!.volumes.map((volume: string) => volume.split(":")[0]).find((path: string) => path.endsWith(".conf"));
    const upstream = read(nginxConf);
    for (const [name] of replicas) expect(upstream).toContain(`server ${name}:3000`);
  });
});

describe("Kubernetes manifests (examples/deploy/kubernetes)", () => {
  const dir = "examples/deploy/kubernetes";
  const docs = readdirSync(join(PROJECT_ROOT, dir))
    .filter((name) => name.endsWith(".yaml"))
    .flatMap((name) => parseAllDocuments(read(join(dir, name))).map((doc) => {
      expect(doc.errors).toEqual([]);
      return doc.toJS() as Doc;
    }));
  const byKind = (kind: string) => docs.find((doc) => doc.kind === kind)!;

  test("a Deployment of 2 non-root replicas with liveness on /healthz and readiness on /readyz", () => {
    const deployment = byKind("Deployment");
    expect(deployment.spec.replicas).toBe(2);
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(25);
    const [container] = pod.containers;
    expect(container.livenessProbe.httpGet.path).toBe("/healthz");
    expect(container.readinessProbe.httpGet.path).toBe("/readyz");
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    for (const { name } of container.env) expectKnownVariable(name);
  });

  test("every secret file the Deployment names is a key of the Secret it mounts", () => {
    const secret = byKind("Secret");
    const pod = byKind("Deployment").spec.template.spec;
    const volume = pod.volumes.find((v: Doc) => v.secret?.secretName === secret.metadata.name);
    const mount = pod.containers[0].volumeMounts.find((m: Doc) => m.name === volume.name).mountPath as string;
    const fromFiles = (pod.containers[0].env as Doc[]).filter((e) => /_(FILE|PATH)$/.test(e.name) && String(e.value).startsWith(`${mount}/`));
    expect(fromFiles.length).toBeGreaterThanOrEqual(5);
    for (const env of fromFiles) expect(Object.keys(secret.stringData)).toContain(String(env.value).slice(mount.length + 1));
  });

  test("a Service for the pods, and an Ingress with TLS exposing only the public paths", () => {
    const service = byKind("Service");
    const labels = byKind("Deployment").spec.template.metadata.labels;
    for (const [key, value] of Object.entries(service.spec.selector)) expect(labels[key]).toBe(value);
    const ingress = byKind("Ingress");
    expect(ingress.spec.tls.length).toBeGreaterThan(0);
    const paths = ingress.spec.rules.flatMap((rule: Doc) => rule.http.paths) as Doc[];
    expect(paths.map((p) => p.path).sort()).toEqual([...PUBLIC_PATHS].sort());
    for (const p of paths) expect(p.backend.service.name).toBe(service.metadata.name);
  });
});

describe("ECS Fargate example (examples/deploy/ecs)", () => {
  const task = JSON.parse(read("examples/deploy/ecs/task-definition.json")) as Doc;
  const alb = JSON.parse(read("examples/deploy/ecs/alb-listener-rules.json")) as Doc;

  test("a Fargate task: read-only root file system, non-root, health check on /healthz, secrets from Secrets Manager", () => {
    expect(task.requiresCompatibilities).toEqual(["FARGATE"]);
    expect(task.networkMode).toBe("awsvpc");
    const [container] = task.containerDefinitions;
    expect(container.readonlyRootFilesystem).toBe(true);
    expect(container.user).not.toMatch(/^(root|0)(:|$)/);
    expect(container.healthCheck.command.join(" ")).toMatch(/\/healthz/);
    expect(container.portMappings[0].containerPort).toBe(3000);
    expect(container.secrets.length).toBeGreaterThanOrEqual(5);
    for (const secret of container.secrets) {
      expect(secret.valueFrom).toMatch(/^arn:aws:secretsmanager:/);
      expectKnownVariable(secret.name);
    }
    for (const { name } of container.environment) expectKnownVariable(name);
  });

  test("the ALB forwards only the public paths and checks targets on /readyz", () => {
    const forwarded = (alb.rules as Doc[]).flatMap((rule) => rule.pathPatterns as string[]).map((p) => p.replace(/\/\*$/, ""));
    expect(forwarded.sort()).toEqual([...PUBLIC_PATHS].sort());
    for (const internal of INTERNAL_PATHS) expect(forwarded).not.toContain(internal);
    expect(alb.targetGroup.healthCheckPath).toBe("/readyz");
  });
});

describe("docs/deploying.md", () => {
  const doc = read("docs/deploying.md");
  test("links every example and names every public path and the internal ones", () => {
    for (const path of ["Dockerfile", "docker-compose.yml", "examples/deploy/kubernetes/deployment.yaml", "examples/deploy/kubernetes/ingress.yaml", "examples/deploy/ecs/task-definition.json", "examples/deploy/ecs/alb-listener-rules.json"]) {
      expect(doc).toContain(path);
    }
    for (const path of [...PUBLIC_PATHS, ...INTERNAL_PATHS]) expect(doc).toContain(`\`${path}`);
    expect(doc).toMatch(/sslmode=verify-full/);
  });
});
