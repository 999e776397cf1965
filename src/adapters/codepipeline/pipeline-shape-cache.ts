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
}

/**
 * GetPipeline results per pipeline name, kept for `ttlMs`. Concurrent readers share one request;
 * a failed load is forgotten at once so the next reader tries again.
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
    const shape = this.load(pipelineName);
    const entry = { shape, loadedAt: this.now() };
    this.entries.set(pipelineName, entry);
    shape.catch(() => {
      if (this.entries.get(pipelineName) === entry) this.entries.delete(pipelineName);
    });
    return shape;
  }

  invalidate(pipelineName: string): void {
    this.entries.delete(pipelineName);
  }
}
