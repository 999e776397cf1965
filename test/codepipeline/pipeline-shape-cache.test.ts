import { PipelineShapeCache, type PipelineShape } from "../../src/adapters/codepipeline/pipeline-shape-cache.js";

const shape = (version: number): PipelineShape => ({ name: "donations-staging", stages: [{ name: `Source-v${version}`, actions: ["Source"] }], variables: new Set() });

function setup() {
  let now = 0;
  const loads: Array<{ resolve: (s: PipelineShape) => void; reject: (e: Error) => void }> = [];
  const cache = new PipelineShapeCache(
    () => new Promise<PipelineShape>((resolve, reject) => loads.push({ resolve, reject })),
    60_000,
    () => now,
  );
  return { cache, loads, advance: (ms: number) => (now += ms) };
}
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("PipelineShapeCache", () => {
  test("concurrent first readers share one GetPipeline", async () => {
    const { cache, loads } = setup();
    const both = Promise.all([cache.get("donations-staging"), cache.get("donations-staging")]);
    expect(loads).toHaveLength(1);
    loads[0]!.resolve(shape(1));
    expect((await both).map((s) => s.stages[0]!.name)).toEqual(["Source-v1", "Source-v1"]);
  });

  test("a failed first load is forgotten, so the next reader tries again", async () => {
    const { cache, loads } = setup();
    const first = cache.get("donations-staging");
    loads[0]!.reject(new Error("throttled"));
    await expect(first).rejects.toThrow("throttled");
    void cache.get("donations-staging");
    expect(loads).toHaveLength(2);
  });

  test("after the TTL, readers get the last answer at once while one refresh runs in the background", async () => {
    const { cache, loads, advance } = setup();
    const first = cache.get("donations-staging");
    loads[0]!.resolve(shape(1));
    await first;
    advance(60_000);

    expect((await cache.get("donations-staging")).stages[0]!.name).toBe("Source-v1");
    expect((await cache.get("donations-staging")).stages[0]!.name).toBe("Source-v1");
    expect(loads).toHaveLength(2);
    loads[1]!.resolve(shape(2));
    await settle();
    expect((await cache.get("donations-staging")).stages[0]!.name).toBe("Source-v2");
    expect(loads).toHaveLength(2);
  });

  test("a failed refresh keeps the last answer and is tried again by the next reader", async () => {
    const { cache, loads, advance } = setup();
    const first = cache.get("donations-staging");
    loads[0]!.resolve(shape(1));
    await first;
    advance(60_000);
    await cache.get("donations-staging");
    loads[1]!.reject(new Error("GetPipeline 500"));
    await settle();
    expect((await cache.get("donations-staging")).stages[0]!.name).toBe("Source-v1");
    expect(loads).toHaveLength(3);
  });

  test("invalidate drops the answer: the next reader waits for a fresh one", async () => {
    const { cache, loads } = setup();
    const first = cache.get("donations-staging");
    loads[0]!.resolve(shape(1));
    await first;
    cache.invalidate("donations-staging");
    const next = cache.get("donations-staging");
    expect(loads).toHaveLength(2);
    loads[1]!.resolve(shape(2));
    expect((await next).stages[0]!.name).toBe("Source-v2");
  });
});
