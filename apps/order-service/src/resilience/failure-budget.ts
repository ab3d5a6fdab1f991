/** When a valid message that keeps failing may be given up on. */
export interface FailurePolicy {
  /** Failed attempts before giving up, the processes that died handling it included. */
  readonly maxAttempts: number;
  /** And at least this long between the first failure seen and giving up, so one blip cannot spend them. */
  readonly minFailingMs: number;
  /** Processes that died while handling it alone, after which a message is not processed again. */
  readonly maxCrashes: number;
}

/**
 * The attempts of one delivery. Giving up needs both the count and the time: five quick failures
 * fit in two seconds, shorter than any failover, and an outage misclassified as a failure must not
 * turn the valid orders in hand into dead letters.
 */
export class FailureBudget {
  private failures: number;
  private firstFailureAt: number | undefined;

  constructor(
    private readonly policy: FailurePolicy,
    /** How often a process died while handling this message alone (its processing marks, not x-delivery-count). */
    readonly crashes: number,
    private readonly now: () => number = Date.now,
  ) {
    this.failures = crashes;
  }

  /** A message that its process died handling, alone, this many times is what killed it. */
  get crashedTooOften(): boolean {
    return this.crashes >= this.policy.maxCrashes;
  }

  get attempts(): number {
    return this.failures;
  }

  /** Records a failed attempt; true once the message may be given up on. */
  failed(): boolean {
    this.failures += 1;
    this.firstFailureAt ??= this.now();
    return this.failures >= this.policy.maxAttempts && this.now() - this.firstFailureAt >= this.policy.minFailingMs;
  }
}
