import { describe, expect, it } from 'vitest';
import { InvalidConfigurationError, loadEnvironment } from './environment.js';
import { inboundPrefetchOf, intakeBatchSizeOf } from './inbound-prefetch.js';

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

describe('intakeBatchSizeOf', () => {
  const batchWith = (settings: Record<string, number>) =>
    intakeBatchSizeOf(loadEnvironment(Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, String(v)]))));

  it('takes half the default window, so that one batch gathers while another commits', () => {
    expect(batchWith({})).toBe(60);
  });

  it('keeps INBOUND_BATCH_SIZE when the window holds two such batches', () => {
    expect(batchWith({ INBOUND_PREFETCH: 1000, INBOUND_MAX_BYTES_IN_HAND: 8 * 1024 * MIB })).toBe(250);
    expect(batchWith({ INBOUND_BATCH_SIZE: 20 })).toBe(20);
  });

  it('halves the window the budget left, not the one configured', () => {
    // (64 MiB − 200 payments × 64 KiB) / 4 MiB = 12 orders in hand.
    expect(batchWith({ INBOUND_PREFETCH: 1000, INBOUND_MAX_BYTES_IN_HAND: 64 * MIB })).toBe(6);
  });
});
