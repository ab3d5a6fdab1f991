import { randomBytes } from 'node:crypto';
import type { BrokerNames } from './test-broker.js';
import { RABBITMQ_URL } from './test-broker.js';

/** Product B's key in every test service. */
export const TEST_API_KEY = 'test-api-key-0123456789';

/** The environment of a service process wired to one test's database and queues. */
export function serviceEnvironment(
  databaseUrl: string,
  names: BrokerNames,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    RABBITMQ_URL,
    ...names,
    RETRY_BASE_DELAY_MS: '20',
    RETRY_MAX_DELAY_MS: '500',
    // Poison tests count attempts only; the minimum time (60 s by default) is unit-tested in FailureBudget.
    PROCESSING_MIN_FAILING_MS: '0',
    API_KEYS: TEST_API_KEY,
    NODE_ENV: 'test',
    // Unique, so a test can find (and cut) this service's own broker connections.
    SERVICE_NAME: `order-service-test-${randomBytes(4).toString('hex')}`,
    ...overrides,
  };
}
