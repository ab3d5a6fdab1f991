import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage } from '../../observability/error-message.js';
import { OrderServiceMetrics } from '../../observability/order-service.metrics.js';
import { backoffDelay } from '../../resilience/backoff.js';
import { AmqpOrderEventsPublisher, type PublishRound } from './amqp/amqp-order-events.publisher.js';
import { OutboxRelaySettings } from './outbox-relay.settings.js';
import { type CommittedOutboxMessage, OutboxSignal } from './outbox.signal.js';
import { PostgresOutboxStore } from './postgres/postgres-outbox.store.js';
import { PublishedMarks } from './published-marks.js';

interface BatchResult {
  readonly claimed: number;
  readonly failed: number;
}

const PURGE_INTERVAL_MS = 60_000;
/** How long the marks of hand-over rounds wait for others to share their statement (see PublishedMarks). */
const MARK_WINDOW_MS = 100;

/**
 * Publishes committed OrderCalculated messages (AmqpOrderEventsPublisher) and marks published
 * in the outbox (PostgresOutboxStore) only the rows the broker confirmed and routed. Two paths:
 * - right after a commit in this process, the rows it handed over (OutboxSignal), without reading
 *   them back: the normal path, whose marks share a statement with those of the rounds confirmed
 *   in the same 100 ms (PublishedMarks);
 * - a sweep every poll interval of the rows older than `sweepAfterMs`: those of a process that died,
 *   of a publish that failed, of a mark that was lost. It claims them with SKIP LOCKED.
 * A crash between confirm and mark republishes the same bytes with the same message_id, which
 * product B deduplicates (at least once, as the contract says).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap {
  private readonly logger = new Logger('OutboxRelay');
  private readonly stopping = new AbortController();
  private sweeping: Promise<void> = Promise.resolve();
  private readonly rounds = new Set<Promise<void>>();
  private readonly marks: PublishedMarks;
  /**
   * Rows this process's commits handed over and it is publishing now: a sweep leaves them alone,
   * however long its own publishing takes, instead of sending them a second time.
   */
  private readonly inHand = new Set<string>();

  constructor(
    private readonly store: PostgresOutboxStore,
    private readonly publisher: AmqpOrderEventsPublisher,
    private readonly signal: OutboxSignal,
    private readonly settings: OutboxRelaySettings,
    private readonly metrics: OrderServiceMetrics,
  ) {
    this.marks = new PublishedMarks(
      (ids) => this.store.markPublished(ids),
      MARK_WINDOW_MS,
      settings.batchSize,
      (ids, error) =>
        this.logger.warn({
          message: 'Published event messages not marked; the sweep will publish them again',
          count: ids.length,
          error: errorMessage(error),
        }),
    );
  }

  onApplicationBootstrap(): void {
    this.signal.listen((messages) => this.publishCommitted(messages));
    this.sweeping = this.sweepLoop();
  }

  /**
   * Stops sweeping, lets the rounds of committed rows finish, then sweeps what is old enough until
   * nothing is left, a round fails or `withinMs` has passed; whatever remains goes out from another
   * replica or at the next start. Returns by the deadline even while a publish waits for its
   * confirm: an unconfirmed row stays pending, and the pod's grace period is not exceeded.
   */
  async drainAndStop(withinMs: number): Promise<void> {
    const deadline = Date.now() + withinMs;
    const drained = this.drain(deadline).then(
      () => true,
      (error: unknown) => {
        this.logger.warn({
          message: 'Outbox not drained at shutdown; it will be published later',
          error: errorMessage(error),
        });
        return true;
      },
    );
    const expiry = new AbortController();
    const expired = sleep(withinMs, false, { signal: expiry.signal }).catch(() => true);
    const inTime = await Promise.race([drained, expired]);
    expiry.abort(); // a pending timer would hold the process open after the drain
    if (!inTime)
      this.logger.warn({ message: 'Outbox drain cut short at shutdown; the rest is published later', withinMs });
  }

  private async drain(deadline: number): Promise<void> {
    this.stopping.abort();
    await this.sweeping;
    await Promise.allSettled(this.rounds);
    await this.marks.flush();
    this.signal.listen(null);
    for (let round = await this.relayBatch(); round.claimed === this.settings.batchSize && round.failed === 0;) {
      if (Date.now() >= deadline) return;
      round = await this.relayBatch();
    }
  }

  /** One sweep round: claim → publish → mark; the rows stay locked until the marks commit. */
  async relayBatch(): Promise<BatchResult> {
    const { batchSize, sweepAfterMs } = this.settings;
    const round = await this.store.claimAndSettle(batchSize, sweepAfterMs, (messages) =>
      this.publisher.publishAll(messages.filter(({ id }) => !this.inHand.has(id))),
    );
    this.record(round);
    return { claimed: round.published.length + round.failed.length, failed: round.failed.length };
  }

  private publishCommitted(messages: readonly CommittedOutboxMessage[]): void {
    // Under the broker's flow control the rows wait in the outbox, not in memory: the sweep takes them.
    if (this.publisher.isBlocked()) {
      this.metrics.eventPublishFailures.inc({ reason: 'blocked' }, messages.length);
      return;
    }
    messages.forEach(({ id }) => this.inHand.add(id));
    const round = this.publishAndMark(messages)
      .catch((error: unknown) =>
        this.logger.warn({
          message: 'Committed event messages not published or not marked; the sweep will publish them again',
          error: errorMessage(error),
        }),
      )
      .finally(() => messages.forEach(({ id }) => this.inHand.delete(id)));
    this.rounds.add(round);
    void round.finally(() => this.rounds.delete(round));
  }

  /**
   * What a round could not publish (its broker connection lost, say) it publishes again with
   * backoff, once the publisher is back, until the sweep would take it: a node's loss then delays
   * product B by the reconnection, not by `sweepAfterMs`.
   */
  private async publishAndMark(messages: readonly CommittedOutboxMessage[]): Promise<void> {
    const sweptFrom = Date.now() + this.settings.sweepAfterMs;
    for (let pending = messages, attempt = 1; ; attempt++) {
      const round = await this.publisher.publishAll(pending);
      const marked = this.marks.add(round.published.map(({ id }) => id));
      if (round.failure) await this.store.markFailed(round.failed, round.failure.error);
      this.record(round);
      // In hand until marked: the sweep must not find them pending in between and send them again.
      await marked;
      if (round.failed.length === 0 || this.stopping.signal.aborted || Date.now() >= sweptFrom) return;
      pending = round.failed;
      await this.pause(attempt);
    }
  }

  private record({ published, failed, failure }: PublishRound): void {
    const confirmedAt = Date.now();
    this.metrics.eventsPublished.inc(published.length);
    published.forEach(({ occurredAt }) =>
      this.metrics.receiveToPublish.observe((confirmedAt - occurredAt.getTime()) / 1000),
    );
    if (failure) {
      this.metrics.eventPublishFailures.inc({ reason: failure.reason }, failed.length);
      this.logger.error({ message: 'Event messages not published; will retry', ...failure, count: failed.length });
    }
  }

  private async sweepLoop(): Promise<void> {
    let failures = 0;
    let lastPurge = Date.now();
    while (!this.stopping.signal.aborted) {
      try {
        // No claim while the broker blocks publishing: the rows would sit locked in an open transaction.
        if (this.publisher.isBlocked()) {
          await Promise.race([this.publisher.untilUnblocked(), this.idle()]);
          continue;
        }
        const { claimed, failed } = await this.relayBatch();
        failures = failed > 0 ? failures + 1 : 0;
        if (failures > 0) {
          await this.pause(failures);
        } else if (claimed < this.settings.batchSize) {
          if (Date.now() - lastPurge >= PURGE_INTERVAL_MS) lastPurge = await this.purge();
          await this.idle();
        }
      } catch (error) {
        failures += 1;
        this.logger.warn({ message: 'Outbox sweep failed; will retry', error: errorMessage(error) });
        await this.pause(failures);
      }
    }
  }

  private async purge(): Promise<number> {
    const deleted = await this.store.purgePublished(this.settings.retentionHours);
    if (deleted > 0) this.logger.log({ message: 'Purged published outbox rows', deleted });
    return Date.now();
  }

  private idle(): Promise<void> {
    return sleep(this.settings.pollIntervalMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }

  private async pause(failures: number): Promise<void> {
    const delay = backoffDelay(failures, this.settings.retryBaseDelayMs, this.settings.retryMaxDelayMs);
    await sleep(delay, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }
}
