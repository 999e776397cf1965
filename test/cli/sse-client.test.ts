import { readEventStream, SseParser, type ServerSentEvent } from "../../src/cli/sse-client.js";

/** Feeds `text` to a parser in pieces cut at `cuts`. */
function parseInPieces(text: string, cuts: readonly number[]): ServerSentEvent[] {
  const parser = new SseParser();
  const events: ServerSentEvent[] = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    events.push(...parser.push(text.slice(from, cut)));
    from = cut;
  }
  return events;
}

const STREAM =
  'event: snapshot\ndata: {"deploy":{"id":"d-1"}}\n\n' +
  ": heartbeat\n\n" +
  "event: progress\ndata: line one\ndata: line two\n\n" +
  "data: plain\n\n";

const EXPECTED: ServerSentEvent[] = [
  { event: "snapshot", data: '{"deploy":{"id":"d-1"}}' },
  { event: "progress", data: "line one\nline two" },
  { event: "message", data: "plain" },
];

describe("SseParser", () => {
  it("parses named events, multi-line data and ignores comments", () => {
    expect(parseInPieces(STREAM, [])).toEqual(EXPECTED);
  });

  it("gives the same events however the stream is cut into chunks", () => {
    for (let cut = 1; cut < STREAM.length; cut++) {
      expect(parseInPieces(STREAM, [cut])).toEqual(EXPECTED);
    }
    expect(parseInPieces(STREAM, Array.from({ length: STREAM.length }, (_, i) => i))).toEqual(EXPECTED);
  });

  it("accepts CRLF and CR line ends, also a CRLF split across chunks", () => {
    const crlf = "event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\r";
    const expected = [
      { event: "a", data: "1" },
      { event: "b", data: "2" },
    ];
    expect(parseInPieces(crlf, [])).toEqual(expected);
    expect(parseInPieces(crlf, [9])).toEqual(expected); // cut between \r and \n
    expect(parseInPieces(crlf, [17, 18])).toEqual(expected);
  });

  it("strips one space after the colon only, and a leading BOM", () => {
    expect(parseInPieces("\uFEFFdata:  two spaces\ndata:none\n\n", [])).toEqual([{ event: "message", data: " two spaces\nnone" }]);
  });

  it("does not dispatch an event without data, nor one cut off by the end of the stream", () => {
    expect(parseInPieces("event: lonely\n\ndata: unfinished\n", [])).toEqual([]);
  });

  it("keeps the last event id and the retry advice", () => {
    const parser = new SseParser();
    expect(parser.push("id: 7\nretry: 3000\ndata: x\n\n")).toEqual([{ event: "message", data: "x", id: "7" }]);
    expect(parser.lastEventId).toBe("7");
    expect(parser.retryMs).toBe(3000);
  });
});

describe("readEventStream", () => {
  it("decodes UTF-8 split inside a character and reports activity for heartbeats", async () => {
    const bytes = new TextEncoder().encode('event: done\ndata: {"artifact":"ami-✓"}\n\n: heartbeat\n\n');
    const split = bytes.indexOf(0xe2) + 1; // inside the three bytes of ✓
    async function* body() {
      yield bytes.slice(0, split);
      yield bytes.slice(split);
    }
    let activity = 0;
    const events: ServerSentEvent[] = [];
    for await (const event of readEventStream(body(), () => activity++)) events.push(event);
    expect(events).toEqual([{ event: "done", data: '{"artifact":"ami-✓"}' }]);
    expect(activity).toBe(2);
  });

  it("stops reading the body when the caller stops early", async () => {
    let finished = false;
    async function* body() {
      try {
        yield "data: 1\n\n";
        yield "data: 2\n\n";
      } finally {
        finished = true;
      }
    }
    for await (const event of readEventStream(body())) {
      expect(event.data).toBe("1");
      break;
    }
    expect(finished).toBe(true);
  });
});
