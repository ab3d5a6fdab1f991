import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { type ReceiveOrderCommand, type ReceiveOrderResult, UnitOfWork } from '@app/ordering';
import { LogContext, type LogFields } from '../../observability/log-context.js';

export class OrderIntakeSettings {
  constructor(
    /** Deliveries per transaction at most. */
    readonly batchSize: number,
    /** Transactions in flight at once; the next batch fills while they run. */
    readonly batchesInFlight: number,
  ) {}
}

interface Submitted {
  readonly command: ReceiveOrderCommand;
  readonly logFields: LogFields;
  readonly resolve: (result: ReceiveOrderResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Runs ReceiveOrder commands in shared transactions. A command waits only while the transactions
 * in flight are busy, so an idle service handles an order at once, alone, and a loaded one gathers
 * hundreds per commit. Each command still gets its own answer (UnitOfWork.runEach): a rejected or
 * failing order does not cost the others theirs.
 */
@Injectable()
export class OrderIntakeBatcher {
  private waiting: Submitted[] = [];
  private inFlight = 0;

  constructor(
    private readonly commandBus: CommandBus,
    private readonly unitOfWork: UnitOfWork,
    private readonly settings: OrderIntakeSettings,
  ) {}

  submit(command: ReceiveOrderCommand): Promise<ReceiveOrderResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ command, logFields: LogContext.current(), resolve, reject });
      this.startBatches();
    });
  }

  private startBatches(): void {
    while (this.inFlight < this.settings.batchesInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.settings.batchSize);
      this.inFlight += 1;
      void this.run(batch).finally(() => {
        this.inFlight -= 1;
        this.startBatches();
      });
    }
  }

  private async run(batch: Submitted[]): Promise<void> {
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
