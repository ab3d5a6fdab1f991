import { Command } from '@nestjs/cqrs';

export interface RebuildOrderViewsResult {
  readonly rebuilt: number;
}

/** Rewrites every row of the read table from the write model, a page of orders per transaction. */
export class RebuildOrderViewsCommand extends Command<RebuildOrderViewsResult> {
  constructor(readonly pageSize = 500) {
    super();
  }
}
