import { Logger } from '@nestjs/common';
import type { Channel, Message } from 'amqplib';
import { errorMessage } from '../../observability/error-message.js';

const logger = new Logger('InboundConsumer');

const byChannel = new WeakMap<Channel, ChannelAcknowledgements>();

/**
 * The acks of one consumer channel, sent together: once per turn of the event loop, everything
 * settled from the oldest unacked delivery on goes out as one `multiple` ack, and only what was
 * settled out of order is acked one by one. A batch of hundreds costs one frame and one write
 * instead of hundreds. A `multiple` ack covers every delivery up to its tag, so it is only sent for
 * a run of deliveries that were all settled: a delivery still being worked on is never acked by it.
 */
export class ChannelAcknowledgements {
  /** Delivery tags not yet acked, in the order the broker delivered them (a Set keeps that order). */
  private readonly outstanding = new Set<number>();
  private readonly settled = new Set<number>();
  private flushScheduled = false;
  private closed = false;

  private constructor(private readonly channel: Channel) {
    channel.once('close', () => (this.closed = true));
  }

  static for(channel: Channel): ChannelAcknowledgements {
    let acknowledgements = byChannel.get(channel);
    if (!acknowledgements) byChannel.set(channel, (acknowledgements = new ChannelAcknowledgements(channel)));
    return acknowledgements;
  }

  get open(): boolean {
    return !this.closed;
  }

  /** To be called as the broker hands a delivery over, before anything else can settle it. */
  received(message: Message): void {
    this.outstanding.add(message.fields.deliveryTag);
  }

  /** False when the channel is gone: the broker will redeliver, and the duplicate check absorbs it. */
  ack(message: Message): boolean {
    if (this.closed) return false;
    this.settled.add(message.fields.deliveryTag);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return true;
  }

  /** Sends what is settled now (also called before the channel is closed on purpose). */
  flush(): void {
    this.flushScheduled = false;
    if (this.settled.size === 0 || this.closed) return;
    try {
      let runEnd: number | undefined;
      for (const tag of this.outstanding) {
        if (!this.settled.has(tag)) break;
        runEnd = tag;
        this.outstanding.delete(tag);
        this.settled.delete(tag);
      }
      if (runEnd !== undefined) this.channel.ack(tagged(runEnd), true);
      for (const tag of this.settled) {
        this.channel.ack(tagged(tag));
        this.outstanding.delete(tag);
      }
      this.settled.clear();
    } catch (error) {
      // The channel closed under us: what was not acked comes back to a consumer, as a duplicate.
      this.closed = true;
      logger.warn({
        message: 'Acks not sent: the channel closed; the broker will redeliver those deliveries',
        deliveries: this.settled.size,
        error: errorMessage(error),
      });
    }
  }
}

/** amqplib's ack reads only the delivery tag of the message it is given. */
function tagged(deliveryTag: number): Message {
  return { fields: { deliveryTag } } as Message;
}
