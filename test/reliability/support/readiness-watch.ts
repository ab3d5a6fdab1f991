import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 50;
const REQUEST_TIMEOUT_MS = 2_000;

/**
 * Polls a service's `/health/ready` in the background, as Kubernetes does, and keeps the sequence of
 * answers that differed from the one before (`0` when no answer came), so a scenario can tell that
 * readiness went down during a fault and came back by itself.
 */
export class ReadinessWatch {
  readonly answers: number[] = [];
  private readonly stopping = new AbortController();
  private readonly polling: Promise<void>;

  constructor(private readonly baseUrl: string) {
    this.polling = this.poll();
  }

  /** 200, then 503, then 200 again, in that order (other answers in between are allowed). */
  get wentDownAndRecovered(): boolean {
    const firstUp = this.answers.indexOf(200);
    const down = firstUp < 0 ? -1 : this.answers.indexOf(503, firstUp);
    return down >= 0 && this.answers.indexOf(200, down) > down;
  }

  get last(): number | undefined {
    return this.answers.at(-1);
  }

  async stop(): Promise<number[]> {
    this.stopping.abort();
    await this.polling;
    return this.answers;
  }

  private async poll(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      const status = await fetch(`${this.baseUrl}/health/ready`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
        .then(async (response) => {
          await response.arrayBuffer();
          return response.status;
        })
        .catch(() => 0);
      if (status !== this.last) this.answers.push(status);
      await sleep(POLL_MS, undefined, { signal: this.stopping.signal }).catch(() => undefined);
    }
  }
}
