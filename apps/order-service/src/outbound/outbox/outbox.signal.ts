import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Wakes the relay as soon as a transaction with new outbox rows commits in this process, instead of
 * waiting for its next poll. (The poll still finds rows that other replicas left behind.) A notify
 * wakes one waiting relay loop, or the next one to wait if all are busy.
 */
export class OutboxSignal {
  private readonly waiting: (() => void)[] = [];
  private pending = false;

  notify(): void {
    const wake = this.waiting.shift();
    if (wake) wake();
    else this.pending = true;
  }

  /** Resolves on the next notify, or after `timeoutMs`; a notify that came in the meantime counts. */
  async wait(timeoutMs: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return;
    }
    const abort = new AbortController();
    let wake: () => void = () => undefined;
    const notified = new Promise<void>((resolve) => (wake = resolve));
    this.waiting.push(wake);
    await Promise.race([notified, sleep(timeoutMs, undefined, { signal: abort.signal }).catch(() => undefined)]);
    abort.abort();
    const index = this.waiting.indexOf(wake);
    if (index >= 0) this.waiting.splice(index, 1);
  }
}
