import type { OnApplicationShutdown } from '@nestjs/common';
import type { Tracing } from './tracing.sdk.js';

/** Exports the last spans once everything else has stopped (the deliveries settled, the relay drained). */
export class TracingShutdown implements OnApplicationShutdown {
  constructor(private readonly tracing: Tracing) {}

  async onApplicationShutdown(): Promise<void> {
    await this.tracing.shutdown();
  }
}
