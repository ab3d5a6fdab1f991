import { describe, expect, it } from 'vitest';
import { LogContext } from './log-context.js';
import { PinoLogger } from './pino.logger.js';

function capture(level: 'log' | 'warn' = 'log', fields?: () => object) {
  const lines: Record<string, unknown>[] = [];
  const logger = new PinoLogger(level, 'order-service', {
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    fields,
  });
  return { logger, lines };
}

describe('PinoLogger', () => {
  it('writes one JSON object per line with level, time, service, context and message', () => {
    const { logger, lines } = capture();
    logger.log('Consuming orders', 'InboundConsumer');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        service: 'order-service',
        context: 'InboundConsumer',
        message: 'Consuming orders',
      }),
    ]);
  });

  it('carries the correlation id of the message being handled, into every line written while handling it', () => {
    const { logger, lines } = capture();
    LogContext.run({ correlationId: 'corr-42', messageId: 'm-1' }, () =>
      logger.warn({ message: 'Order duplicate', externalId: 'A-1' }, 'OrderIntake'),
    );
    logger.log('outside', 'Bootstrap');
    expect(lines[0]).toMatchObject({ level: 'warn', correlationId: 'corr-42', messageId: 'm-1', externalId: 'A-1' });
    expect(lines[1]).not.toHaveProperty('correlationId');
  });

  it('adds the fields it is given to every line, next to the correlation id', () => {
    const { logger, lines } = capture('log', () => ({ trace_id: 'trace-1', span_id: 'span-1' }));
    LogContext.run({ correlationId: 'corr-42' }, () => logger.log('Order created', 'OrderIntake'));
    expect(lines[0]).toMatchObject({ correlationId: 'corr-42', trace_id: 'trace-1', span_id: 'span-1' });
  });

  it('keeps the stack of an error and drops lines under the configured level', () => {
    const { logger, lines } = capture('warn');
    logger.log('too chatty', 'X');
    logger.error('Relay failed', 'Error: boom\n    at relay', 'OutboxRelay');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        context: 'OutboxRelay',
        message: 'Relay failed',
        stack: expect.stringContaining('boom'),
      }),
    ]);
  });
});
