import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appendOutputs, appendSummary, formatOutput } from "../../src/action/runner-files.js";
import { escapeData, escapeProperty, WorkflowLog } from "../../src/action/workflow-log.js";
import { parseOutputFile } from "./run-bundled-action.js";

describe("the runner's files and workflow commands", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "runner-files-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("an output is name<<DELIM, the value, DELIM", () => {
    expect(formatOutput("state", "succeeded", "EOF_1")).toBe("state<<EOF_1\nsucceeded\nEOF_1\n");
    expect(formatOutput("reason-code", "", "EOF_1")).toBe("reason-code<<EOF_1\n\nEOF_1\n");
    expect(() => formatOutput("state", "a\nEOF_1\nb", "EOF_1")).toThrow(/delimiter/);
  });

  test("outputs are appended (earlier steps' lines stay) and read back exactly, multi-line values too", async () => {
    const file = join(dir, "output");
    await writeFile(file, "earlier=1\n");
    expect(appendOutputs(file, { "deploy-id": "d-1", state: "failed", message: "line 1\nline 2 with = and <<" })).toBe(true);
    expect(parseOutputFile(await readFile(file, "utf8"))).toEqual({ earlier: "1", "deploy-id": "d-1", state: "failed", message: "line 1\nline 2 with = and <<" });
    expect(appendOutputs(undefined, { state: "x" })).toBe(false);
  });

  test("the summary is appended as Markdown, ending with a newline", async () => {
    const file = join(dir, "summary");
    await writeFile(file, "# earlier\n");
    appendSummary(file, "### mine");
    expect(await readFile(file, "utf8")).toBe("# earlier\n### mine\n");
  });

  test("workflow commands escape data and properties; plain text cannot issue a command", () => {
    expect(escapeData("50% done\r\nnext")).toBe("50%25 done%0D%0Anext");
    expect(escapeProperty("a: b, c")).toBe("a%3A b%2C c");
    const lines: string[] = [];
    const log = new WorkflowLog((text) => lines.push(text));
    log.mask("s3cret");
    log.error("line 1\nline 2", "Whistlestop: refused");
    log.group("Request");
    log.info("::set-output name=x::y\n  ::warning::sneaky\nok");
    log.endGroup();
    expect(lines.join("")).toBe(
      [
        "::add-mask::s3cret",
        "::error title=Whistlestop%3A refused::line 1%0Aline 2",
        "::group::Request",
        ": :set-output name=x::y",
        "  : :warning::sneaky",
        "ok",
        "::endgroup::",
        "",
      ].join("\n"),
    );
  });
});
