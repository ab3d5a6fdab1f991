import { describe, expect, it } from 'vitest';
import { isTransientBrokerError } from './amqp-errors.js';

const coded = (code: string | number, message = 'failed') => Object.assign(new Error(message), { code });

describe('isTransientBrokerError', () => {
  it.each([
    ['ECONNREFUSED', true],
    ['ECONNRESET', true],
    ['ECONNABORTED', true],
    ['ETIMEDOUT', true],
    ['EPIPE', true],
    ['ENOTFOUND', true],
    ['EAI_AGAIN', true],
    ['ENETUNREACH', true],
    ['EHOSTUNREACH', true],
    ['EHOSTDOWN', true],
    [320, true],
    [541, true],
    [404, false],
    [406, false],
    [403, false],
  ] as const)('classifies code %s as transient: %s', (code, expected) => {
    expect(isTransientBrokerError(coded(code))).toBe(expected);
  });

  it.each([
    ['Connection closed (Error: Unexpected close)', true],
    ['Channel closed', true],
    ['Socket closed abruptly during opening handshake', true],
    ['Heartbeat timeout', true],
    ['Operation failed: QueueDeclare; 404 (NOT-FOUND)', false],
  ])('classifies "%s" as transient: %s', (message, expected) => {
    expect(isTransientBrokerError(new Error(message))).toBe(expected);
  });
});
