import { setTimeout as sleep } from 'node:timers/promises';

const SAMPLE_MS = 200;

interface Sample {
  readonly at: number;
  readonly count: number;
}

/** What a fault did to the intake, read from the timeline. */
export interface FaultImpact {
  /** From the fault to the first commit after it: how soon anything moved again. */
  readonly firstMs: number;
  /** The longest time without a commit after the fault: the outage as the intake saw it. */
  readonly pauseMs: number;
  /** From the fault to the end of that pause: when the intake was back. */
  readonly resumedMs: number;
  /** Orders per second from the end of the pause to the last commit. */
  readonly rateAfter: number;
}

/**
 * The number of committed orders (or another count that only grows, such as product B's receipts)
 * sampled every 200 ms in the background, so that a scenario can say how long its fault stopped the
 * intake and when throughput came back. A sample that fails (the database is the fault) is skipped.
 */
export class CommitTimeline {
  private readonly samples: Sample[] = [];
  private readonly stopping = new AbortController();
  private readonly sampling: Promise<void>;

  constructor(private readonly committed: () => Promise<number>) {
    this.sampling = this.sample();
  }

  /**
   * The impact of a fault at `faultAt` (a Date.now()). Commits come in steps (a batch at a time),
   * so the rate is an average over the whole phase rather than over short windows.
   */
  impactOf(faultAt: number): FaultImpact {
    const { samples } = this;
    const commits = samples.filter((sample, index) => index > 0 && sample.count > samples[index - 1].count);
    let pauseStart: Sample = commits.filter(({ at }) => at <= faultAt).at(-1) ?? { at: faultAt, count: 0 };
    let longest = { from: pauseStart, to: pauseStart };
    for (const commit of commits.filter(({ at }) => at > faultAt)) {
      if (commit.at - pauseStart.at > longest.to.at - longest.from.at) longest = { from: pauseStart, to: commit };
      pauseStart = commit;
    }
    const last = commits.at(-1) ?? longest.to;
    const first = commits.find(({ at }) => at > faultAt) ?? longest.to;
    return {
      firstMs: first.at - faultAt,
      pauseMs: longest.to.at - Math.max(longest.from.at, faultAt),
      resumedMs: longest.to.at - faultAt,
      rateAfter:
        last.at > longest.to.at ? Math.round(((last.count - longest.to.count) * 1000) / (last.at - longest.to.at)) : 0,
    };
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.sampling;
  }

  private async sample(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      const count = await this.committed().catch(() => undefined);
      if (count !== undefined) this.samples.push({ at: Date.now(), count });
      await sleep(SAMPLE_MS, undefined, { signal: this.stopping.signal }).catch(() => undefined);
    }
  }
}

/** `what` names the counted step: the intake (commits) unless told, e.g. product B's receipts. */
export function formatImpact({ firstMs, pauseMs, resumedMs, rateAfter }: FaultImpact, what = 'intake'): string {
  return (
    `${what} moving ${firstMs} ms and back ${resumedMs} ms after the fault ` +
    `(its longest pause without progress: ${pauseMs} ms), then ${rateAfter} orders/s`
  );
}
