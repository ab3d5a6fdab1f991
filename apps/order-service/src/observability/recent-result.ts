/**
 * Shares one run of `produce` among every caller for `maxAgeMs`: probes and scrapes, however many
 * arrive at once, then cost one database round trip a second instead of a pooled connection each.
 */
export class RecentResult<T> {
  private latest: { readonly at: number; readonly result: Promise<T> } | null = null;

  constructor(
    private readonly produce: () => Promise<T>,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<T> {
    const now = this.now();
    if (this.latest === null || now - this.latest.at >= this.maxAgeMs) {
      this.latest = { at: now, result: this.produce() };
    }
    return this.latest.result;
  }
}
