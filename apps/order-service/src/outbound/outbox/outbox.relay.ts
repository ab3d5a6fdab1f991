import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { OrderServiceMetrics } from '../../observability/order-service.metrics.js';
import { backoffDelay } from '../../resilience/backoff.js';
import { AmqpPublisher, type MandatoryMessage, type MandatoryOutcome } from '../amqp/amqp-publisher.js';
import { driverPool } from '../postgres/data-source.js';
import { type CommittedOutboxMessage, OutboxSignal } from './outbox.signal.js';
import { PublishedMarks } from './published-marks.js';
import { errorMessage } from '../../observability/error-message.js';

export class OutboxRelaySettings {
  readonly exchange: string;
  readonly routingKey: string;
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  /** A pending row older than this is no longer its own process's to publish, but any sweep's. */
  readonly sweepAfterMs: number;
  readonly retentionHours: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;

  constructor(fields: OutboxRelaySettings) {
    Object.assign(this, fields);
  }
}

interface ClaimedRow {
  id: string;
  event_id: string;
  event_type: string;
  correlation_id: string | null;
  payload: string;
  occurred_at: Date;
}

interface PublishFailure {
  readonly reason: 'unroutable' | 'error';
  readonly error: string;
}

/** What one publish of a set of messages came to. */
interface PublishRound {
  readonly routed: readonly CommittedOutboxMessage[];
  readonly failed: readonly CommittedOutboxMessage[];
  readonly failure?: PublishFailure;
}

interface BatchResult {
  readonly claimed: number;
  readonly failed: number;
}

/*
 * SKIP LOCKED lets every replica's sweep claim a different slice of what is left; the lock holds
 * until the rows are marked, so no two sweeps publish a row at once. Young rows are left to the
 * process that committed them, which is publishing them right now.
 */
const CLAIM = `
  SELECT id, event_id, event_type, correlation_id, payload::text AS payload, occurred_at
  FROM outbox
  WHERE published_at IS NULL AND occurred_at < clock_timestamp() - make_interval(secs => $2::float8 / 1000)
  ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`;
const MARK_PUBLISHED = `UPDATE outbox SET published_at = clock_timestamp() WHERE id = ANY($1::bigint[])`;
const MARK_FAILED = `UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])`;
const PURGE_PUBLISHED = `
  DELETE FROM outbox WHERE id IN (
    SELECT id FROM outbox WHERE published_at < now() - make_interval(hours => $1) LIMIT 10000)`;
const PURGE_INTERVAL_MS = 60_000;
/** How long the marks of hand-over rounds wait for others to share their statement (see PublishedMarks). */
const MARK_WINDOW_MS = 100;

/*
 * A lost mark only republishes a confirmed message under the same message_id, which the contract
 * allows; so a mark need not wait for the WAL flush (the intake's commits do). SET LOCAL and the
 * UPDATE in one simple query run as one implicit transaction: one round trip, no parameters, hence
 * the ids inlined (they are the table's own bigints, checked to be digits).
 */
function markPublishedWithoutFlush(ids: readonly string[]): string {
  if (!ids.every((id) => /^\d+$/.test(id))) throw new Error(`Outbox ids must be integers: ${ids.join(',')}`);
  return `SET LOCAL synchronous_commit = off;
    UPDATE outbox SET published_at = clock_timestamp() WHERE id = ANY('{${ids.join(',')}}'::bigint[])`;
}

/**
 * Publishes committed OrderCalculated messages to product B's exchange on a confirm channel with
 * `mandatory`, and marks published only the rows the broker confirmed and routed. Two paths:
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

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: AmqpPublisher,
    private readonly signal: OutboxSignal,
    private readonly settings: OutboxRelaySettings,
    private readonly metrics: OrderServiceMetrics,
  ) {
    this.marks = new PublishedMarks(
      (ids) =>
        driverPool(this.dataSource)
          .query(markPublishedWithoutFlush(ids))
          .then(() => undefined),
      MARK_WINDOW_MS,
      settings.batchSize,
      (ids, error) =>
        this.logger.warn({
          message: 'Published OrderCalculated messages not marked; the sweep will publish them again',
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
    const round = await this.dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL synchronous_commit = off');
      const rows: ClaimedRow[] = await manager.query(CLAIM, [this.settings.batchSize, this.settings.sweepAfterMs]);
      const published = await this.publishAll(rows.map(messageOf));
      if (published.routed.length > 0) await manager.query(MARK_PUBLISHED, [published.routed.map(({ id }) => id)]);
      if (published.failure) {
        await manager.query(MARK_FAILED, [published.failed.map(({ id }) => id), published.failure.error]);
      }
      return published;
    });
    this.record(round);
    return { claimed: round.routed.length + round.failed.length, failed: round.failed.length };
  }

  private publishCommitted(messages: readonly CommittedOutboxMessage[]): void {
    // Under the broker's flow control the rows wait in the outbox, not in memory: the sweep takes them.
    if (this.publisher.isBlocked()) {
      this.metrics.eventPublishFailures.inc({ reason: 'blocked' }, messages.length);
      return;
    }
    const round = this.publishAndMark(messages).catch((error: unknown) =>
      this.logger.warn({
        message: 'Committed OrderCalculated messages not published or not marked; the sweep will publish them again',
        error: errorMessage(error),
      }),
    );
    this.rounds.add(round);
    void round.finally(() => this.rounds.delete(round));
  }

  private async publishAndMark(messages: readonly CommittedOutboxMessage[]): Promise<void> {
    const round = await this.publishAll(messages);
    this.marks.add(round.routed.map(({ id }) => id));
    if (round.failure) {
      await driverPool(this.dataSource).query(MARK_FAILED, [round.failed.map(({ id }) => id), round.failure.error]);
    }
    this.record(round);
  }

  private async publishAll(messages: readonly CommittedOutboxMessage[]): Promise<PublishRound> {
    const outcomes = await this.publisher.publishAllMandatory(messages.map((message) => this.mandatory(message)));
    const routed = messages.filter((_, index) => isRouted(outcomes[index]));
    const failed = messages.filter((_, index) => !isRouted(outcomes[index]));
    const firstFailure = outcomes.find((outcome) => !isRouted(outcome));
    return { routed, failed, failure: firstFailure && this.describeFailure(firstFailure) };
  }

  private record({ routed, failed, failure }: PublishRound): void {
    const confirmedAt = Date.now();
    this.metrics.eventsPublished.inc(routed.length);
    routed.forEach(({ occurredAt }) =>
      this.metrics.receiveToPublish.observe((confirmedAt - occurredAt.getTime()) / 1000),
    );
    if (failure) {
      this.metrics.eventPublishFailures.inc({ reason: failure.reason }, failed.length);
      this.logger.error({ message: 'OrderCalculated not published; will retry', ...failure, count: failed.length });
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

  private mandatory(message: CommittedOutboxMessage): MandatoryMessage {
    return {
      exchange: this.settings.exchange,
      routingKey: this.settings.routingKey,
      content: Buffer.from(message.payload),
      options: {
        messageId: message.eventId,
        type: message.eventType,
        contentType: 'application/json',
        correlationId: message.correlationId ?? undefined,
        timestamp: Math.floor(message.occurredAt.getTime() / 1000),
      },
    };
  }

  private describeFailure(outcome: PromiseSettledResult<MandatoryOutcome>): PublishFailure {
    return outcome.status === 'fulfilled'
      ? {
          reason: 'unroutable',
          error: `Unroutable: no queue is bound to exchange ${this.settings.exchange} with routing key ${this.settings.routingKey}`,
        }
      : { reason: 'error', error: errorMessage(outcome.reason) };
  }

  private async purge(): Promise<number> {
    const [, deleted] = await this.dataSource.query<[unknown[], number]>(PURGE_PUBLISHED, [
      this.settings.retentionHours,
    ]);
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

function messageOf(row: ClaimedRow): CommittedOutboxMessage {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    correlationId: row.correlation_id,
    payload: row.payload,
    occurredAt: row.occurred_at,
  };
}

function isRouted(outcome: PromiseSettledResult<MandatoryOutcome>): boolean {
  return outcome.status === 'fulfilled' && outcome.value === 'routed';
}
