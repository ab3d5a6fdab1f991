import type { ServiceProcess } from './service-process.js';
import type { TestBroker } from './test-broker.js';
import type { TestDatabase } from './test-database.js';

export interface TestWorld {
  readonly services: readonly (ServiceProcess | undefined)[];
  readonly broker?: TestBroker;
  readonly database?: TestDatabase;
}

/**
 * Ends what a test file started, whatever of it did start: the services (their logs printed first
 * with E2E_SHOW_LOGS), then its queues and exchanges, then its database.
 */
export async function tearDown({ services, broker, database }: TestWorld): Promise<void> {
  for (const service of services) {
    if (process.env.E2E_SHOW_LOGS && service) console.log(service.logs);
    await service?.stop();
  }
  await broker?.deleteAll();
  await broker?.close();
  await database?.drop();
}
