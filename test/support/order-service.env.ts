import type { BrokerNames } from './test-broker.js';
import { RABBITMQ_URL } from './test-broker.js';

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
    ...overrides,
  };
}
