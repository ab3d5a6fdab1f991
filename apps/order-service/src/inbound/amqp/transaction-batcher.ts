import type { Command, CommandBus } from '@nestjs/cqrs';
import type { UnitOfWork } from '@app/ordering';
import { LogContext, type LogFields } from '../../observability/log-context.js';
import {
  activeContext,
  type Context,
  inSpan,
  linksTo,
  ROOT_CONTEXT,
  withContext,
} from '../../observability/tracing/spans.js';

export class BatchSettings {
  /** Deliveries per transaction at most. */
  readonly batchSize: number;
  /** Transactions in flight at most; the second only for a full batch (see mayStartBatch). */
  readonly batchesInFlight: number;

  constructor(fields: BatchSettings) {
    Object.assign(this, fields);
  }
}

interface Submitted<C, R> {
  readonly command: C;
  /** What the command is about (an externalId, an orderId), if it says: decided in arrival order. */
  readonly key: string | undefined;
  readonly logFields: LogFields;
  /** The delivery's span: the command's own spans continue its trace. */
  readonly traceContext: Context;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Runs commands in shared transactions. A command waits only while a transaction is busy, so an
 * idle service handles a delivery at once, alone, and a loaded one gathers hundreds per commit.
 * Each command still gets its own answer (UnitOfWork.runEach): a refused or failing one does not
 * cost the others theirs.
 *
 * Commands of one key are decided in the order they arrived, as they would be one at a time: a
 * batch never takes a command whose key a batch in flight holds (nor anything behind it).
 */
export abstract class TransactionBatcher<C extends Command<R>, R> {
  private waiting: Submitted<C, R>[] = [];
  private inFlight = 0;
  private readonly held = new Set<string>();

  protected constructor(
    private readonly commandBus: CommandBus,
    private readonly unitOfWork: UnitOfWork,
    private readonly settings: BatchSettings,
  ) {}

  /** The command's key, if it has one. */
  protected abstract keyOf(command: C): string | undefined;

  /**
   * Whether two commands of one key may share a transaction. Those that load and change one
   * aggregate may not: each would change its own copy of it.
   */
  protected abstract readonly keyOncePerBatch: boolean;

  protected abstract observeBatchSize(size: number): void;

  /** What the transaction's span is called: `intake transaction`, `payments transaction`. */
  protected abstract readonly transactionName: string;

  submit(command: C): Promise<R> {
    return new Promise((resolve, reject) => {
      this.waiting.push({
        command,
        key: this.keyOf(command),
        logFields: LogContext.current(),
        traceContext: activeContext(),
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
      const keys = batch.flatMap(({ key }) => (key === undefined ? [] : [key]));
      keys.forEach((key) => this.held.add(key));
      this.inFlight += 1;
      void this.run(batch).finally(() => {
        keys.forEach((key) => this.held.delete(key));
        this.inFlight -= 1;
        this.startBatches();
      });
    }
  }

  /**
   * One transaction at a time, and a second one only for a full batch waiting: at a moderate rate the
   * deliveries that arrive during a commit wait for it and share the next one, which costs far less
   * than a transaction each (docs/benchmarks/design-measurements.md); under a backlog both run, one
   * filling while the other commits.
   */
  private mayStartBatch(): boolean {
    if (this.inFlight === 0) return true;
    return this.inFlight < this.settings.batchesInFlight && this.waiting.length >= this.settings.batchSize;
  }

  /** The oldest waiting commands, up to the batch size and up to the first one whose key is taken. */
  private nextBatch(): Submitted<C, R>[] {
    const inBatch = new Set<string>();
    let end = 0;
    while (end < this.waiting.length && end < this.settings.batchSize) {
      const { key } = this.waiting[end];
      if (key !== undefined && (this.held.has(key) || inBatch.has(key))) break;
      if (key !== undefined && this.keyOncePerBatch) inBatch.add(key);
      end += 1;
    }
    return this.waiting.splice(0, end);
  }

  /**
   * The transaction's span links every delivery's trace: it belongs to all of them, so to none as
   * a parent, unless it holds one delivery alone. Each command's span continues its own delivery's trace.
   */
  private async run(batch: Submitted<C, R>[]): Promise<void> {
    this.observeBatchSize(batch.length);
    const contexts = batch.map(({ traceContext }) => traceContext);
    const span = {
      parent: batch.length === 1 ? contexts[0] : ROOT_CONTEXT,
      links: linksTo(contexts),
      attributes: { 'order_service.batch.size': batch.length },
    };
    await inSpan(`${this.transactionName} transaction`, span, async () => {
      try {
        const outcomes = await this.unitOfWork.runEach(batch, (submitted) => this.execute(submitted));
        outcomes.forEach((outcome, index) =>
          outcome.status === 'fulfilled' ? batch[index].resolve(outcome.value) : batch[index].reject(outcome.reason),
        );
      } catch (error) {
        batch.forEach(({ reject }) => reject(error));
      }
    });
  }

  /** The use case, named after its command (`ReceiveOrder`), in its delivery's trace and log context. */
  private execute({ command, logFields, traceContext }: Submitted<C, R>): Promise<R> {
    const useCase = command.constructor.name.replace(/Command$/, '');
    return withContext(traceContext, () =>
      LogContext.run(logFields, () => inSpan(useCase, {}, () => this.commandBus.execute(command))),
    );
  }
}
