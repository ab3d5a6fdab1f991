/** When a valid message that keeps failing may be given up on. */
export interface FailurePolicy {
  /** Failed attempts before giving up, earlier deliveries that were never settled included. */
  readonly maxAttempts: number;
  /** And at least this long between the first failure seen and giving up, so one blip cannot spend them. */
  readonly minFailingMs: number;
  /** Deliveries never settled (the process handling them died) after which a message is not processed again. */
  readonly maxDeliveries: number;
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
    /** How often the broker delivered this message before without its being settled (x-delivery-count). */
    readonly previousDeliveries: number,
    private readonly now: () => number = Date.now,
  ) {
    this.failures = previousDeliveries;
  }

  /** A message that was in hand when its process died this many times is likely what killed it. */
  get crashedTooOften(): boolean {
    return this.previousDeliveries >= this.policy.maxDeliveries;
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
