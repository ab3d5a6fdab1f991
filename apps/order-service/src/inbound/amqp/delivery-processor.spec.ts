import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { ConcurrentModificationError } from '@app/ordering';
import type { ConsumeMessage } from 'amqplib';
import { describe, expect, it } from 'vitest';
import type { DeadLetterPublisher } from '../../messaging/dead-letter.publisher.js';
import { ProcessingMarks } from '../../messaging/processing-marks.js';
import type { Rejection } from '../../messaging/rejection.js';
import type { OrderServiceMetrics } from '../../observability/order-service.metrics.js';
import { ROOT_CONTEXT } from '../../observability/tracing/spans.js';
import { DeliveryLane } from './delivery-lane.js';
import {
  type Deferral,
  DeliveryProcessor,
  InboundProcessingSettings,
  RedeliveryIsolation,
} from './delivery-processor.js';
import type { InboundDelivery } from './inbound-delivery.js';

const settings = new InboundProcessingSettings({
  failures: { maxAttempts: 5, minFailingMs: 0, maxCrashes: 3 },
  retryBaseDelayMs: 1,
  retryMaxDelayMs: 1,
  shutdownGraceMs: 1_000,
  maxMessageBytes: 1024,
  offThreadDecodeBytes: 1024,
});
const metrics = { deliveriesInHand: { inc: () => undefined, dec: () => undefined } } as unknown as OrderServiceMetrics;

/** Marks in memory, which may be made to fail a number of times first. */
class MemoryMarks extends ProcessingMarks {
  readonly starts = new Map<string, number>();
  failuresLeft = 0;

  start(bodyDigest: Buffer): Promise<number> {
    if (this.failuresLeft-- > 0) return Promise.reject(new Error('database away'));
    const key = bodyDigest.toString('hex');
    const before = this.starts.get(key) ?? 0;
    this.starts.set(key, before + 1);
    return Promise.resolve(before);
  }

  finish(bodyDigest: Buffer): Promise<void> {
    this.starts.delete(bodyDigest.toString('hex'));
    return Promise.resolve();
  }
}

/** Records what it was asked to do, in order; `start` of the marks included. */
class RecordingProcessor extends DeliveryProcessor<string, string> {
  protected readonly logger = new Logger('Test');
  readonly events: string[] = [];

  constructor(readonly marks: MemoryMarks) {
    const deadLetters = { publish: () => Promise.resolve() } as unknown as DeadLetterPublisher;
    super(deadLetters, new RedeliveryIsolation(new DeliveryLane(), marks), settings, metrics);
  }

  protected decode(delivery: InboundDelivery): string {
    this.events.push(`decode (marks ${this.marks.starts.size})`);
    return delivery.content.toString();
  }

  /** Races `raced` loses before it wins. */
  racesToLose = 0;

  /**
   * `waits` stands for a payment ahead of its order: it fails until another message is acked;
   * `raced`, for a message whose commit another writer beats `racesToLose` times.
   */
  protected attempt(body: string): Promise<string> {
    if (body === 'waits' && !this.events.some((event) => event.startsWith('acked'))) {
      return Promise.reject(new Error('not yet'));
    }
    if (body === 'raced' && this.racesToLose-- > 0) return Promise.reject(new ConcurrentModificationError('o-1'));
    return Promise.resolve(body);
  }

  protected override deferral(error: unknown): Deferral {
    return (error as Error).message === 'not yet' ? { retry: true } : null;
  }

  protected acknowledged(result: string): void {
    this.events.push(`acked ${result}`);
  }

  protected deadLettered({ reason, detail }: Rejection): void {
    this.events.push(`dead-lettered ${reason}: ${detail}`);
  }
}

function aDelivery(body: string, previousDeliveries: number): InboundDelivery {
  return {
    content: Buffer.from(body),
    message: { fields: { exchange: 'orders.inbound', routingKey: 'order.placed' } } as ConsumeMessage,
    metadata: { messageId: null, correlationId: null, routingKey: 'order.placed' },
    traceContext: ROOT_CONTEXT,
    previousDeliveries,
    isOpen: () => true,
    ack: () => true,
  } as unknown as InboundDelivery;
}

describe('DeliveryProcessor with redeliveries', () => {
  it('handles a first delivery without a mark, whatever the marks hold', async () => {
    const processor = new RecordingProcessor(new MemoryMarks());
    await processor.process(aDelivery('first', 0));
    expect(processor.events).toEqual(['decode (marks 0)', 'acked first']);
  });

  it('marks a redelivery before reading it and clears the mark once it is settled', async () => {
    const marks = new MemoryMarks();
    const processor = new RecordingProcessor(marks);
    await processor.process(aDelivery('again', 7));
    expect(processor.events).toEqual(['decode (marks 1)', 'acked again']);
    expect(marks.starts.size).toBe(0);
  });

  it('dead-letters unread a redelivery whose process died handling it maxCrashes times', async () => {
    const marks = new MemoryMarks();
    const processor = new RecordingProcessor(marks);
    marks.starts.set(digestOf('crasher'), 3);
    await processor.process(aDelivery('crasher', 4));
    expect(processor.events).toEqual([
      'dead-lettered processing-failed: The process handling it stopped each of the 3 times it handled it alone; not processed again',
    ]);
    expect(marks.starts.size).toBe(0);
  });

  it('handles a redelivery whose marks show fewer deaths, however high its delivery count', async () => {
    const marks = new MemoryMarks();
    const processor = new RecordingProcessor(marks);
    marks.starts.set(digestOf('bystander'), 2);
    await processor.process(aDelivery('bystander', 19));
    expect(processor.events).toEqual(['decode (marks 1)', 'acked bystander']);
  });

  it('lets the deliveries behind a redelivery run once its first attempt is over, and clears its mark then', async () => {
    const marks = new MemoryMarks();
    const processor = new RecordingProcessor(marks);
    await Promise.all([processor.process(aDelivery('waits', 1)), processor.process(aDelivery('behind', 0))]);
    expect(processor.events).toEqual(['decode (marks 1)', 'decode (marks 0)', 'acked behind', 'acked waits']);
  });

  it('runs a message that lost a race again, past the failure budget, without dead-lettering it', async () => {
    const processor = new RecordingProcessor(new MemoryMarks());
    processor.racesToLose = settings.failures.maxAttempts + 2;
    await processor.process(aDelivery('raced', 0));
    expect(processor.events).toEqual(['decode (marks 0)', 'acked raced']);
  });

  it('waits for marks that cannot be written, reading nothing meanwhile', async () => {
    const marks = new MemoryMarks();
    marks.failuresLeft = 3;
    const processor = new RecordingProcessor(marks);
    await processor.process(aDelivery('patient', 1));
    expect(processor.events).toEqual(['decode (marks 1)', 'acked patient']);
  });
});

function digestOf(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}
