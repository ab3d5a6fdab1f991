/**
 * Marks published the outbox rows that the relay's hand-over rounds got confirmed, several rounds
 * at a time: what is confirmed within `windowMs`, up to `maxIds`, goes in one statement, and one
 * statement runs at a time. A mark is on no one's path (product B has its message; the sweep only
 * takes rows older than OUTBOX_SWEEP_AFTER_MS), while at a moderate rate, one order a transaction,
 * a statement per round was a round trip and a Postgres statement per order. A mark lost in a crash
 * only republishes a confirmed message under the same message_id, as a lost mark always could.
 */
export class PublishedMarks {
  private ids: string[] = [];
  /** The callers of `add` whose ids wait in `ids`: told once those are written. */
  private waiting: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly markPublished: (ids: readonly string[]) => Promise<void>,
    private readonly windowMs: number,
    private readonly maxIds: number,
    private readonly notMarked: (ids: readonly string[], error: unknown) => void,
  ) {}

  /** Resolves once these ids are marked (or their statement failed); never rejects. */
  add(ids: readonly string[]): Promise<void> {
    const marked = new Promise<void>((resolve) => this.waiting.push(resolve));
    this.ids.push(...ids);
    if (this.ids.length >= this.maxIds) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.windowMs);
    return marked;
  }

  /** Marks what is waiting now; resolves once every mark asked for so far has been written (or has failed). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ids = this.ids;
    const waiting = this.waiting;
    this.ids = [];
    this.waiting = [];
    const done = () => waiting.forEach((resolve) => resolve());
    this.writing = ids.length > 0 ? this.writing.then(() => this.mark(ids)).then(done) : this.writing.then(done);
    return this.writing;
  }

  /** Never rejects, so that a failed statement does not stop the ones queued behind it. */
  private async mark(ids: readonly string[]): Promise<void> {
    try {
      await this.markPublished(ids);
    } catch (error) {
      this.notMarked(ids, error);
    }
  }
}
