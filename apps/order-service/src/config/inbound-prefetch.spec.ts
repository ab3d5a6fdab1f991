import { describe, expect, it } from 'vitest';
import { InvalidConfigurationError, loadEnvironment } from './environment.js';
import { inboundPrefetchOf } from './inbound-prefetch.js';

const MIB = 1024 * 1024;
const prefetchWith = (settings: Record<string, number>) =>
  inboundPrefetchOf(loadEnvironment(Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, String(v)]))));

describe('inboundPrefetchOf', () => {
  it('keeps the defaults as they are: their worst case fits the default budget', () => {
    const { orders, payments, lowered } = prefetchWith({});
    expect({ orders, payments, lowered }).toEqual({ orders: 120, payments: 200, lowered: [] });
    expect(orders * 4 * MIB + payments * 64 * 1024).toBeLessThanOrEqual(512 * MIB);
  });

  it('lowers the orders prefetch to what fits beside the payments, and says so', () => {
    const { orders, payments, lowered } = prefetchWith({ INBOUND_PREFETCH: 1000 });
    expect(payments).toBe(200);
    expect(orders).toBe(Math.floor((512 * MIB - 200 * 64 * 1024) / (4 * MIB)));
    expect(lowered).toEqual([
      expect.stringMatching(/^INBOUND_PREFETCH 1000 lowered to 124: 124 × INBOUND_MAX_MESSAGE_BYTES/),
    ]);
  });

  it('gives the payments half the budget at most', () => {
    const { payments, lowered } = prefetchWith({
      INBOUND_MAX_BYTES_IN_HAND: 8 * MIB,
      PAYMENTS_MAX_MESSAGE_BYTES: MIB,
      INBOUND_MAX_MESSAGE_BYTES: MIB,
      INBOUND_PREFETCH: 2,
    });
    expect(payments).toBe(4);
    expect(lowered).toEqual([expect.stringMatching(/^PAYMENTS_PREFETCH 200 lowered to 4/)]);
  });

  it('raises the prefetch nowhere: smaller messages leave the configured one', () => {
    expect(prefetchWith({ INBOUND_MAX_MESSAGE_BYTES: 64 * 1024 }).orders).toBe(120);
  });

  it('refuses a budget that cannot hold one message', () => {
    expect(() => prefetchWith({ INBOUND_MAX_BYTES_IN_HAND: 4 * MIB, PAYMENTS_MAX_MESSAGE_BYTES: 64 * 1024 })).toThrow(
      InvalidConfigurationError,
    );
  });
});
