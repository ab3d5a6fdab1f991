import { setTimeout as sleep } from 'node:timers/promises';

const SAMPLE_MS = 200;
/** The window a rate is measured over. */
const WINDOW_MS = 1_000;
/** Throughput counts as recovered once a window reaches this share of the rate before the fault. */
const RECOVERED_SHARE = 0.5;

interface Sample {
  readonly at: number;
  readonly count: number;
}

/** What a fault did to the intake, read from the timeline. */
export interface FaultImpact {
  /** Orders per second committed over the last window before the fault. */
  readonly rateBefore: number;
  /** From the fault to the first order committed after it. */
  readonly stalledMs: number;
  /** From the fault to the end of the first window back at half the rate before it (or more). */
  readonly recoveredMs: number;
}

/**
 * The number of committed orders sampled every 200 ms in the background, so that a scenario can say
 * how long its fault stopped the intake and when throughput came back. A sample that fails (the
 * database is the fault) is skipped.
 */
export class CommitTimeline {
  private readonly samples: Sample[] = [];
  private readonly stopping = new AbortController();
  private readonly sampling: Promise<void>;

  constructor(private readonly committed: () => Promise<number>) {
    this.sampling = this.sample();
  }

  /** The impact of a fault at `faultAt` (a Date.now()), from the samples so far. */
  impactOf(faultAt: number): FaultImpact {
    const before = this.samples.filter(({ at }) => at <= faultAt);
    const after = this.samples.filter(({ at }) => at > faultAt);
    const last = before.at(-1) ?? { at: faultAt, count: 0 };
    const rateBefore = rateOver(before, last.at);
    const firstCommit = after.find(({ count }) => count > last.count);
    const recovered = after.find(
      ({ at }) => at - faultAt >= WINDOW_MS && rateOver(this.samples, at) >= RECOVERED_SHARE * rateBefore,
    );
    return {
      rateBefore: Math.round(rateBefore),
      stalledMs: firstCommit ? firstCommit.at - faultAt : Number.NaN,
      recoveredMs: recovered ? recovered.at - faultAt : Number.NaN,
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

/** Orders per second over the window that ends at `end`. */
function rateOver(samples: readonly Sample[], end: number): number {
  const window = samples.filter(({ at }) => at <= end && at >= end - WINDOW_MS);
  if (window.length < 2) return 0;
  const first = window[0];
  const last = window.at(-1) as Sample;
  return last.at === first.at ? 0 : ((last.count - first.count) * 1000) / (last.at - first.at);
}

export function formatImpact({ rateBefore, stalledMs, recoveredMs }: FaultImpact): string {
  return `${rateBefore} orders/s before; first commit ${stalledMs} ms after the fault; back to half that rate after ${recoveredMs} ms`;
}
