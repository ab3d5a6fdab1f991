import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { OrderRepository } from '../../ports/order.repository.js';
import { OrderViewStore } from '../../ports/order-view.store.js';
import { UnitOfWork } from '../../ports/unit-of-work.js';
import { orderViewOf } from '../../read-model/order-view.js';
import { RebuildOrderViewsCommand, type RebuildOrderViewsResult } from './rebuild-order-views.command.js';

/**
 * Replays the write model into the read table with the projector's own mapping. Safe while the
 * service runs: the store never lets an older state overwrite a newer one.
 */
@CommandHandler(RebuildOrderViewsCommand)
export class RebuildOrderViewsCommandHandler implements ICommandHandler<
  RebuildOrderViewsCommand,
  RebuildOrderViewsResult
> {
  constructor(
    private readonly orders: OrderRepository,
    private readonly views: OrderViewStore,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async execute({ pageSize }: RebuildOrderViewsCommand): Promise<RebuildOrderViewsResult> {
    let rebuilt = 0;
    for (let after: string | null = null; ;) {
      const page = await this.unitOfWork.run(async () => {
        const orders = await this.orders.listAfter(after, pageSize);
        for (const order of orders) await this.views.save(orderViewOf(order));
        return orders;
      });
      rebuilt += page.length;
      if (page.length < pageSize) {
        await this.unitOfWork.run(() => this.views.rebuildStatistics());
        return { rebuilt };
      }
      after = page[page.length - 1].id;
    }
  }
}
