/** What Whistlestop needs from a pipeline's declaration. */
export interface PipelineShape {
  readonly name: string;
  /** In pipeline order. */
  readonly stages: readonly { readonly name: string; readonly actions: readonly string[] }[];
  /** Declared pipeline variables: only these may be passed to StartPipelineExecution. */
  readonly variables: ReadonlySet<string>;
}

interface Entry {
  readonly shape: Promise<PipelineShape>;
  readonly loadedAt: number;
  /** Set once the load succeeded: what an expired entry still answers while it is read again. */
  loaded?: PipelineShape;
  refreshing?: boolean;
}

/**
 * GetPipeline results per pipeline name. Concurrent readers share one request; a failed load is
 * forgotten at once so the next reader tries again. After `ttlMs` an entry is read again in the
 * background while readers keep getting the last answer, so a deploy's start never waits for
 * GetPipeline once the pipeline was seen (a start rejected for its variables reads it again).
 */
export class PipelineShapeCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly load: (pipelineName: string) => Promise<PipelineShape>,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(pipelineName: string): Promise<PipelineShape> {
    const cached = this.entries.get(pipelineName);
    if (cached && this.now() - cached.loadedAt < this.ttlMs) return cached.shape;
    if (cached?.loaded) {
      if (!cached.refreshing) {
        cached.refreshing = true;
        // A failed refresh keeps the last answer; the next reader tries again.
        this.fetch(pipelineName).catch(() => (cached.refreshing = false));
      }
      return Promise.resolve(cached.loaded);
    }
    return this.fetch(pipelineName);
  }

  invalidate(pipelineName: string): void {
    this.entries.delete(pipelineName);
  }

  private fetch(pipelineName: string): Promise<PipelineShape> {
    const shape = this.load(pipelineName);
    const entry: Entry = { shape, loadedAt: this.now() };
    shape.then(
      (loaded) => {
        entry.loaded = loaded;
        this.entries.set(pipelineName, entry);
      },
      () => {
        if (this.entries.get(pipelineName) === entry) this.entries.delete(pipelineName);
      },
    );
    // A first load is shared by concurrent readers at once; a refresh replaces the entry when it lands.
    if (!this.entries.get(pipelineName)?.loaded) this.entries.set(pipelineName, entry);
    return shape;
  }
}
