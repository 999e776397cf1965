import fc from "fast-check";

/** Characters node lets a client put in a header value: tab, visible ASCII, and Latin-1. */
const HEADER_CHARS = ["\t", ...Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)), ...Array.from({ length: 0x80 }, (_, i) => String.fromCharCode(0x80 + i))];

/** A header value as a client could send it, occasionally several KiB long (node allows 16 KiB of headers). */
export const headerValue = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: fc.constantFrom(...HEADER_CHARS), maxLength: 60 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 8000 }).map((n) => "x".repeat(n)) },
);

const TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-_!#$%&'*+.^`|~".split("");
export const headerName = fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 20 }).filter((name) => !RESERVED_HEADERS.has(name.toLowerCase()));

/** Headers that change how the message is framed or routed; they are fuzzed on purpose elsewhere. */
const RESERVED_HEADERS = new Set(["content-length", "transfer-encoding", "host", "connection", "upgrade", "expect", "te", "trailer", "keep-alive"]);

/** Extra headers of any name and value. */
export const extraHeaders = fc.dictionary(headerName, headerValue, { maxKeys: 4 });

export const contentType = fc.option(
  fc.oneof(
    fc.constantFrom(
      "application/json",
      "application/json; charset=utf-8",
      "application/json; charset=UTF-8",
      "application/json; charset=latin1",
      "application/json;;;",
      "APPLICATION/JSON",
      "application/vnd.whistlestop+json",
      "application/jsonx",
      "json",
      "text/plain",
      "text/html; charset=utf-8",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=----x",
      "application/octet-stream",
      "",
      "*/*",
    ),
    headerValue,
  ),
  { nil: undefined },
);

const jsonLeaf = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));

/** JSON nested far deeper than any real request. */
const deepJson = fc.tuple(fc.integer({ min: 50, max: 5000 }), fc.constantFrom("[", '{"a":')).map(([depth, open]) =>
  `${open.repeat(depth)}1${(open === "[" ? "]" : "}").repeat(depth)}`,
);

/** Form bodies, with Slack's and the API's field names among random ones. */
export const formBody = fc
  .dictionary(fc.oneof(fc.constantFrom("text", "payload", "command", "user_id", "channel_id", "token", "type"), fc.string({ maxLength: 10 })), fc.string({ maxLength: 40 }), { maxKeys: 6 })
  .map((fields) => new URLSearchParams(fields).toString());

/** Bodies of every kind: text, bytes, JSON of the wrong shape, forms, unicode, deep nesting, nothing. */
export const anyBody: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.constant(""),
  fc.string(),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.string({ unit: "grapheme", maxLength: 100 }),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  fc.record({ text: fc.oneof(jsonLeaf, fc.jsonValue({ maxDepth: 2 })), githubActor: fc.option(jsonLeaf, { nil: undefined }) }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
  deepJson,
  formBody,
  fc.constantFrom("{", "[", '{"text":', '{"text": "help"', "nul\u0000l", "\uFEFF{}", '{"text":"\\ud800"}', "null", "0", '"text"', "[]", "{}"),
);

export const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export const method = fc.constantFrom(...METHODS);
