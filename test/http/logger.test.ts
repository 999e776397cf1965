import { createLogger, redactText } from "../../src/app/logger.js";
import { LogCapture } from "./http-test-kit.js";

const SECRET = "s3cr3t-value-0123456789";

describe("createLogger", () => {
  it("redacts credential headers and secret fields", () => {
    const logs = new LogCapture();
    const logger = createLogger({ level: "info", destination: logs });
    logger.info(
      {
        req: { method: "POST", headers: { authorization: `Bearer ${SECRET}`, "x-hub-signature-256": `sha256=${SECRET}`, "user-agent": "curl" } },
        slack: { token: SECRET, signingSecret: SECRET },
        token: SECRET,
        config: { github: { privateKey: SECRET, secret: SECRET } },
        password: SECRET,
      },
      "incoming",
    );
    expect(logs.text).not.toContain(SECRET);
    const [line] = logs.lines;
    expect(line).toMatchObject({ msg: "incoming", req: { method: "POST", headers: { "user-agent": "curl", authorization: "[REDACTED]" } } });
  });

  it("scrubs secrets from messages and errors", () => {
    const logs = new LogCapture();
    const logger = createLogger({ level: "info", destination: logs });
    logger.warn(`retrying with Authorization: Bearer ${SECRET}`);
    logger.error({ err: new Error(`auth failed for xoxb-1234-5678-${SECRET}`) }, "slack down");
    expect(logs.text).not.toContain(SECRET);
    expect(logs.text).toContain("slack down");
  });

  it("redacts secret keys up to two levels down and credential headers up to one level down, without changing the logged objects", () => {
    const logs = new LogCapture();
    const logger = createLogger({ level: "info", destination: logs });
    const fields = {
      deployId: "d-1",
      settings: { github: { webhookSecret: SECRET, appId: 1 }, DATABASE_URL: SECRET },
      request: { headers: { cookie: SECRET, "x-whistlestop-token": SECRET, accept: "*/*" } },
      list: [{ token: SECRET }],
    };
    const before = structuredClone(fields);
    logger.info(fields, "settings");
    expect(logs.text).not.toContain(SECRET);
    expect(logs.lines[0]).toMatchObject({
      deployId: "d-1",
      settings: { github: { webhookSecret: "[REDACTED]", appId: 1 }, DATABASE_URL: "[REDACTED]" },
      request: { headers: { cookie: "[REDACTED]", "x-whistlestop-token": "[REDACTED]", accept: "*/*" } },
      list: [{ token: "[REDACTED]" }],
    });
    expect(fields).toEqual(before);
  });

  it("redacts an error's own secret fields, a child logger's bindings and values put into the message", () => {
    const logs = new LogCapture();
    const logger = createLogger({ level: "info", destination: logs });
    const error = Object.assign(new Error("refused"), { token: SECRET });
    logger.error({ err: error }, "refused");
    logger.child({ slack: { botToken: SECRET } }).info("child");
    logger.info("config %j", { password: SECRET });
    expect(logs.text).not.toContain(SECRET);
    expect(logs.lines[0]).toMatchObject({ err: { message: "refused", token: "[REDACTED]" } });
    expect(logs.lines[1]).toMatchObject({ slack: { botToken: "[REDACTED]" }, msg: "child" });
  });

  it("takes the level from LOG_LEVEL by default", () => {
    const previous = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = "warn";
    try {
      expect(createLogger({ destination: new LogCapture() }).level).toBe("warn");
    } finally {
      process.env.LOG_LEVEL = previous;
    }
  });
});

describe("redactText", () => {
  it.each([
    [`Authorization: Bearer ${SECRET}`, "Authorization: Bearer [REDACTED]"],
    [`bot xoxb-123-456-${SECRET}`, "bot [REDACTED]"],
    [`socket xapp-1-A0-${SECRET}`, "socket [REDACTED]"],
    [`gh ghs_${"a".repeat(36)}`, "gh [REDACTED]"],
    [`postgres://whistlestop:${SECRET}@db:5432/app`, "postgres://whistlestop:[REDACTED]@db:5432/app"],
    [`token=${SECRET}&x=1`, "token=[REDACTED]&x=1"],
    [`{"password": "${SECRET}"}`, '{"password": "[REDACTED]"}'],
    [`key -----BEGIN RSA PRIVATE KEY-----\nMIIE${SECRET}\n-----END RSA PRIVATE KEY----- end`, "key [REDACTED PRIVATE KEY] end"],
  ])("scrubs %j", (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it("leaves ordinary text alone", () => {
    const text = "deploy donations prod: the token expired, ask for a new one";
    expect(redactText(text)).toBe(text);
  });
});
