import type { Environment } from './environment.js';
import { InvalidConfigurationError } from './environment.js';

/** The unacknowledged deliveries each inbound queue may hold, and why they are fewer than configured. */
export interface InboundPrefetch {
  readonly orders: number;
  readonly payments: number;
  /** One sentence per prefetch lowered to fit the budget, for the start-up log. */
  readonly lowered: readonly string[];
}

const MIB = 1024 * 1024;
const mib = (bytes: number) => `${Math.round((bytes / MIB) * 10) / 10} MiB`;

/**
 * RabbitMQ counts a consumer's prefetch in messages, never in bytes, and pushes that many at once
 * however large they are: so the bodies in hand stay within INBOUND_MAX_BYTES_IN_HAND only if each
 * queue's prefetch × its largest accepted message fits. The payments (small by contract) take their
 * share first, at most half; the orders get the rest.
 */
export function inboundPrefetchOf(environment: Environment): InboundPrefetch {
  const budget = environment.INBOUND_MAX_BYTES_IN_HAND;
  const lowered: string[] = [];
  const fit = (variable: string, configured: number, maxBytesVariable: string, maxBytes: number, bytes: number) => {
    const fitting = Math.min(configured, Math.floor(bytes / maxBytes));
    if (fitting < 1) {
      throw new InvalidConfigurationError([
        `INBOUND_MAX_BYTES_IN_HAND (${mib(budget)}) leaves ${mib(bytes)} for ${variable}, less than one message of ` +
          `${maxBytesVariable} (${mib(maxBytes)}); raise the budget or lower the message size`,
      ]);
    }
    if (fitting < configured) {
      lowered.push(
        `${variable} ${configured} lowered to ${fitting}: ${fitting} × ${maxBytesVariable} (${mib(maxBytes)}) ` +
          `is what fits in ${mib(bytes)} of INBOUND_MAX_BYTES_IN_HAND`,
      );
    }
    return fitting;
  };
  const payments = fit(
    'PAYMENTS_PREFETCH',
    environment.PAYMENTS_PREFETCH,
    'PAYMENTS_MAX_MESSAGE_BYTES',
    environment.PAYMENTS_MAX_MESSAGE_BYTES,
    budget / 2,
  );
  const orders = fit(
    'INBOUND_PREFETCH',
    environment.INBOUND_PREFETCH,
    'INBOUND_MAX_MESSAGE_BYTES',
    environment.INBOUND_MAX_MESSAGE_BYTES,
    budget - payments * environment.PAYMENTS_MAX_MESSAGE_BYTES,
  );
  return { orders, payments, lowered };
}

/**
 * Orders per shared transaction: INBOUND_BATCH_SIZE, but at most half the orders' window, so that
 * a full batch can gather while the one before it commits (the second transaction the batcher
 * allows); a batch as large as the window would leave nothing to gather.
 */
export function intakeBatchSizeOf(environment: Environment): number {
  return Math.min(environment.INBOUND_BATCH_SIZE, Math.ceil(inboundPrefetchOf(environment).orders / 2));
}
