import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { type ReceiveOrderCommand, type ReceiveOrderResult, UnitOfWork } from '@app/ordering';
import { LogContext, type LogFields } from '../../observability/log-context.js';
import { OrderServiceMetrics } from '../../observability/order-service.metrics.js';

export class OrderIntakeSettings {
  /** Deliveries per transaction at most. */
  readonly batchSize: number;
  /** Transactions in flight at most; the second only for a full batch (see mayStartBatch). */
  readonly batchesInFlight: number;

  constructor(fields: OrderIntakeSettings) {
    Object.assign(this, fields);
  }
}

interface Submitted {
  readonly command: ReceiveOrderCommand;
  /** The externalId the body claims, if it claims one (validation comes later, in ReceiveOrder). */
  readonly externalId: string | undefined;
  readonly logFields: LogFields;
  readonly resolve: (result: ReceiveOrderResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Runs ReceiveOrder commands in shared transactions. A command waits only while a transaction is
 * busy, so an idle service handles an order at once, alone, and a loaded one gathers hundreds per
 * commit. Each command still gets its own answer (UnitOfWork.runEach): a rejected or
 * failing order does not cost the others theirs.
 *
 * Deliveries of one externalId are decided in the order they arrived, as they would be one at a
 * time: a batch never takes an order whose externalId a batch in flight holds (nor anything behind
 * it), so a later conflicting duplicate cannot commit first and stand in place of the original.
 */
@Injectable()
export class OrderIntakeBatcher {
  private waiting: Submitted[] = [];
  private inFlight = 0;
  private readonly held = new Set<string>();

  constructor(
    private readonly commandBus: CommandBus,
    private readonly unitOfWork: UnitOfWork,
    private readonly settings: OrderIntakeSettings,
    private readonly metrics: OrderServiceMetrics,
  ) {}

  submit(command: ReceiveOrderCommand): Promise<ReceiveOrderResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({
        command,
        externalId: claimedExternalId(command),
        logFields: LogContext.current(),
        resolve,
        reject,
      });
      this.startBatches();
    });
  }

  private startBatches(): void {
    while (this.mayStartBatch()) {
      const batch = this.nextBatch();
      if (batch.length === 0) return;
      const externalIds = batch.flatMap(({ externalId }) => (externalId === undefined ? [] : [externalId]));
      externalIds.forEach((externalId) => this.held.add(externalId));
      this.inFlight += 1;
      void this.run(batch).finally(() => {
        externalIds.forEach((externalId) => this.held.delete(externalId));
        this.inFlight -= 1;
        this.startBatches();
      });
    }
  }

  /**
   * One transaction at a time, and a second one only for a full batch waiting: at a moderate rate the
   * orders that arrive during a commit wait for it and share the next one, which costs far less than
   * a transaction each (docs/benchmarks/design-measurements.md); under a backlog both run, one
   * filling while the other commits.
   */
  private mayStartBatch(): boolean {
    if (this.inFlight === 0) return true;
    return this.inFlight < this.settings.batchesInFlight && this.waiting.length >= this.settings.batchSize;
  }

  /** The oldest waiting commands, up to the batch size and up to the first one a batch in flight holds. */
  private nextBatch(): Submitted[] {
    let end = 0;
    while (end < this.waiting.length && end < this.settings.batchSize) {
      const { externalId } = this.waiting[end];
      if (externalId !== undefined && this.held.has(externalId)) break;
      end += 1;
    }
    return this.waiting.splice(0, end);
  }

  private async run(batch: Submitted[]): Promise<void> {
    this.metrics.intakeBatchSize.observe(batch.length);
    try {
      const outcomes = await this.unitOfWork.runEach(batch, ({ command, logFields }) =>
        LogContext.run(logFields, () => this.commandBus.execute(command)),
      );
      outcomes.forEach((outcome, index) =>
        outcome.status === 'fulfilled' ? batch[index].resolve(outcome.value) : batch[index].reject(outcome.reason),
      );
    } catch (error) {
      batch.forEach(({ reject }) => reject(error));
    }
  }
}

function claimedExternalId({ body }: ReceiveOrderCommand): string | undefined {
  const externalId =
    typeof body === 'object' && body !== null ? (body as { externalId?: unknown }).externalId : undefined;
  return typeof externalId === 'string' ? externalId : undefined;
}
