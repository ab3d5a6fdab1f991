import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Wakes the relay as soon as a transaction with new outbox rows commits in this process, instead of
 * waiting for its next poll. (The poll still finds rows that other replicas left behind.)
 */
export class OutboxSignal {
  private wake: (() => void) | null = null;
  private pending = false;

  notify(): void {
    this.pending = true;
    this.wake?.();
  }

  /** Resolves on the next notify, or after `timeoutMs`; a notify that came in the meantime counts. */
  async wait(timeoutMs: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return;
    }
    const abort = new AbortController();
    const notified = new Promise<void>((resolve) => (this.wake = resolve));
    await Promise.race([notified, sleep(timeoutMs, undefined, { signal: abort.signal }).catch(() => undefined)]);
    abort.abort();
    this.wake = null;
    this.pending = false;
  }
}
