import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { OrderServiceMetrics } from '../../observability/order-service.metrics.js';
import { backoffDelay } from '../../resilience/backoff.js';
import { AmqpPublisher, type MandatoryOutcome } from '../amqp/amqp-publisher.js';
import { OutboxSignal } from './outbox.signal.js';

export class OutboxRelaySettings {
  constructor(
    readonly exchange: string,
    readonly routingKey: string,
    readonly batchSize: number,
    readonly pollIntervalMs: number,
    readonly retentionHours: number,
    readonly retryBaseDelayMs: number,
    readonly retryMaxDelayMs: number,
  ) {}
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

interface BatchResult {
  readonly claimed: number;
  readonly failed: number;
}

/*
 * SKIP LOCKED lets every replica's relay claim a different slice of the backlog; the lock holds
 * until the rows are marked, so no row is published by two relays at once.
 */
const CLAIM = `
  SELECT id, event_id, event_type, correlation_id, payload::text AS payload, occurred_at
  FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`;
const MARK_PUBLISHED = `UPDATE outbox SET published_at = clock_timestamp() WHERE id = ANY($1::bigint[])`;
const MARK_FAILED = `UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])`;
const PURGE_PUBLISHED = `
  DELETE FROM outbox WHERE id IN (
    SELECT id FROM outbox WHERE published_at < now() - make_interval(hours => $1) LIMIT 10000)`;
const PURGE_INTERVAL_MS = 60_000;
/**
 * Rounds in flight at once: while one waits for its confirms, a commit that arrives meanwhile is
 * claimed by the other instead of waiting for the round to end. SKIP LOCKED keeps them disjoint.
 */
const RELAY_LOOPS = 2;

/**
 * Publishes committed OrderCalculated messages to product B's exchange: claims a batch, publishes
 * it on a confirm channel with `mandatory`, and marks published only the rows the broker confirmed
 * and routed. A crash between confirm and mark republishes the same bytes with the same
 * message_id, which product B deduplicates (at least once, as the contract says).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap {
  private readonly logger = new Logger('OutboxRelay');
  private readonly stopping = new AbortController();
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: AmqpPublisher,
    private readonly signal: OutboxSignal,
    private readonly settings: OutboxRelaySettings,
    private readonly metrics: OrderServiceMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.running = Promise.all(Array.from({ length: RELAY_LOOPS }, () => this.loop())).then(() => undefined);
  }

  /**
   * Stops the loop, then publishes what is committed until the outbox is empty or a round fails;
   * whatever is left goes out from another replica or at the next start.
   */
  async drainAndStop(): Promise<void> {
    this.stopping.abort();
    for (let loop = 0; loop < RELAY_LOOPS; loop++) this.signal.notify();
    await this.running;
    try {
      for (let round = await this.relayBatch(); round.claimed === this.settings.batchSize && round.failed === 0;) {
        round = await this.relayBatch();
      }
    } catch (error) {
      this.logger.warn({
        message: 'Outbox not drained at shutdown; it will be published later',
        error: describe(error),
      });
    }
  }

  private async loop(): Promise<void> {
    let failures = 0;
    let lastPurge = Date.now();
    while (!this.stopping.signal.aborted) {
      try {
        const { claimed, failed } = await this.relayBatch();
        failures = failed > 0 ? failures + 1 : 0;
        if (failures > 0) {
          await this.pause(failures);
        } else if (claimed < this.settings.batchSize) {
          if (Date.now() - lastPurge >= PURGE_INTERVAL_MS) lastPurge = await this.purge();
          await this.signal.wait(this.settings.pollIntervalMs);
        }
      } catch (error) {
        failures += 1;
        this.logger.warn({ message: 'Outbox relay failed; will retry', error: describe(error) });
        await this.pause(failures);
      }
    }
  }

  /** One claim → publish → mark round; the rows stay locked until the marks commit. */
  async relayBatch(): Promise<BatchResult> {
    const { claimed, routed, failure } = await this.dataSource.transaction(async (manager) => {
      // A mark lost in a crash only republishes a confirmed message under the same message_id, which
      // the contract allows; so this commit need not wait for the WAL flush (the intake's commits do).
      await manager.query('SET LOCAL synchronous_commit = off');
      const rows: ClaimedRow[] = await manager.query(CLAIM, [this.settings.batchSize]);
      const outcomes = await Promise.allSettled(rows.map((row) => this.publish(row)));
      const routedRows = rows.filter((_, index) => isRouted(outcomes[index]));
      const failedRows = rows.filter((_, index) => !isRouted(outcomes[index]));
      if (routedRows.length > 0) await manager.query(MARK_PUBLISHED, [routedRows.map((row) => row.id)]);
      const firstFailure = outcomes.find((outcome) => !isRouted(outcome));
      const failureOf = firstFailure && { ...this.describeFailure(firstFailure), count: failedRows.length };
      if (failureOf) await manager.query(MARK_FAILED, [failedRows.map((row) => row.id), failureOf.error]);
      return { claimed: rows.length, routed: routedRows, failure: failureOf };
    });
    const confirmedAt = Date.now();
    this.metrics.eventsPublished.inc(routed.length);
    routed.forEach((row) => this.metrics.receiveToPublish.observe((confirmedAt - row.occurred_at.getTime()) / 1000));
    if (failure) {
      this.metrics.eventPublishFailures.inc({ reason: failure.reason }, failure.count);
      this.logger.error({ message: 'OrderCalculated not published; will retry', ...failure });
    }
    return { claimed, failed: failure?.count ?? 0 };
  }

  private publish(row: ClaimedRow): Promise<MandatoryOutcome> {
    return this.publisher.publishMandatory({
      exchange: this.settings.exchange,
      routingKey: this.settings.routingKey,
      content: Buffer.from(row.payload),
      options: {
        messageId: row.event_id,
        type: row.event_type,
        contentType: 'application/json',
        correlationId: row.correlation_id ?? undefined,
        timestamp: Math.floor(row.occurred_at.getTime() / 1000),
      },
    });
  }

  private describeFailure(outcome: PromiseSettledResult<MandatoryOutcome>): PublishFailure {
    return outcome.status === 'fulfilled'
      ? {
          reason: 'unroutable',
          error: `Unroutable: no queue is bound to exchange ${this.settings.exchange} with routing key ${this.settings.routingKey}`,
        }
      : { reason: 'error', error: describe(outcome.reason) };
  }

  private async purge(): Promise<number> {
    const [, deleted] = await this.dataSource.query<[unknown[], number]>(PURGE_PUBLISHED, [
      this.settings.retentionHours,
    ]);
    if (deleted > 0) this.logger.log({ message: 'Purged published outbox rows', deleted });
    return Date.now();
  }

  private async pause(failures: number): Promise<void> {
    const delay = backoffDelay(failures, this.settings.retryBaseDelayMs, this.settings.retryMaxDelayMs);
    await sleep(delay, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }
}

function isRouted(outcome: PromiseSettledResult<MandatoryOutcome>): boolean {
  return outcome.status === 'fulfilled' && outcome.value === 'routed';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
