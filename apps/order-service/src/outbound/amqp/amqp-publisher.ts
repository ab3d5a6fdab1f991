import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import amqpConnectionManager from 'amqp-connection-manager';
import type { ChannelModel, ConfirmChannel, ConsumeMessage, MessageProperties, Options } from 'amqplib';
import { once } from 'node:events';
import { rabbitmqNodeUrls } from '../../config/rabbitmq-nodes.js';
import { coalesceFrameWrites } from './coalesced-frame-writes.js';

export const PUBLISH_TIMEOUT_MS = 10_000;
/**
 * A connection attempt whose opening handshake has not finished by then is given up and retried:
 * the connection manager waits for an attempt's outcome before its next one, so one attempt
 * that hangs (a half-open path through a proxy or a failing node) would keep it away for good.
 */
const CONNECT_TIMEOUT_MS = 10_000;
/** Set on a mandatory message whose `messageId` is not its own (a dead letter keeps the original's). */
export const PUBLISH_ID_HEADER = 'x-publish-id';

/**
 * A message a broker return can be matched to: by `publishId` when given (sent as a header), else
 * by its `messageId`, which must then be unique among those in flight.
 */
export interface MandatoryMessage {
  readonly exchange: string;
  readonly routingKey: string;
  readonly content: Buffer;
  readonly options: Options.Publish & { readonly messageId?: string };
  readonly publishId?: string;
}

/** `routed`: a queue holds it. `unroutable`: confirmed, but returned because no queue was bound. */
export type MandatoryOutcome = 'routed' | 'unroutable';

/**
 * A long-lived connection with a confirm channel: `publish` resolves only once the broker has
 * taken responsibility for the message, and reconnects by itself after an outage.
 */
export class AmqpPublisher implements OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly connection: AmqpConnectionManager;
  private readonly channel: ChannelWrapper;
  private readonly returned = new Set<string>();
  /** The wrapper's confirm channel while it is open, for publishing a batch directly. */
  private confirmChannel: ConfirmChannel | null = null;
  /** Set while the broker blocks the connection (a memory or disk alarm): nothing is written then. */
  private blocked: Promise<void> | null = null;

  /** `url`: RABBITMQ_URL, one node or a cluster's, comma-separated; each reconnect tries the next node. */
  constructor(url: string, connectionName: string) {
    this.logger = new Logger('AmqpPublisher');
    this.connection = amqpConnectionManager.connect(rabbitmqNodeUrls(url), {
      heartbeatIntervalInSeconds: 10,
      reconnectTimeInSeconds: 1,
      // amqplib leaves Nagle's algorithm on: a publish written while the previous segment is
      // unacknowledged would wait for that ACK, adding milliseconds to every OrderCalculated.
      connectionOptions: {
        noDelay: true,
        timeout: CONNECT_TIMEOUT_MS,
        clientProperties: { connection_name: connectionName },
      },
    });
    // The manager's type says Connection; what it hands over is what amqplib.connect returned.
    this.connection.on('connect', ({ connection }) => {
      coalesceFrameWrites(connection as unknown as ChannelModel);
      this.logger.log('Publisher connected');
    });
    this.connection.on('disconnect', ({ err }) => this.logger.warn(`Publisher disconnected: ${err?.message}`));
    this.connection.on('connectFailed', ({ err }) => this.logger.warn(`Publisher cannot connect: ${err?.message}`));
    this.watchFlowControl();
    this.channel = this.connection.createChannel({
      confirm: true,
      publishTimeout: PUBLISH_TIMEOUT_MS,
      // The broker sends basic.return before the basic.ack of the same message, so the id is
      // recorded here before the message's confirm reaches publishAllMandatory.
      setup: (channel: ConfirmChannel) => {
        channel.on('return', (message: ConsumeMessage) => this.returned.add(returnKeyOf(message.properties)));
        channel.once('close', () => {
          if (this.confirmChannel === channel) this.confirmChannel = null;
        });
        this.confirmChannel = channel;
        return Promise.resolve();
      },
    });
  }

  isConnected(): boolean {
    return this.connection.isConnected();
  }

  /** True while the broker blocks publishing on this connection (flow control). */
  isBlocked(): boolean {
    return this.blocked !== null;
  }

  /** Resolves once the broker lets this connection publish (at once when it is not blocked). */
  async untilUnblocked(): Promise<void> {
    await this.blocked;
  }

  /**
   * Publishes every message with `mandatory` (a broker confirms an unroutable message too; the
   * flag makes it say so with a return) and settles once each is confirmed, refused or timed out.
   * Nothing is written while the broker blocks the connection, and after a write that fills the
   * socket's buffer the rest wait for the channel's `drain`: a broker under an alarm is not fed
   * faster than it reads. While connected the messages go straight onto the confirm channel: one
   * callback each and one timer for all, where the wrapper's publish costs a promise, a queue entry
   * and a timer apiece. While not, they go through the wrapper, which holds them until it has reconnected.
   */
  async publishAllMandatory(messages: readonly MandatoryMessage[]): Promise<PromiseSettledResult<MandatoryOutcome>[]> {
    if (messages.length === 0) return [];
    await this.untilUnblocked();
    const channel = this.confirmChannel;
    if (!channel) return Promise.allSettled(messages.map((message) => this.publishThroughWrapper(message)));
    return new Promise((resolve) => {
      const outcomes = new Array<PromiseSettledResult<MandatoryOutcome>>(messages.length);
      let unsettled = messages.length;
      const settle = (index: number, outcome: PromiseSettledResult<MandatoryOutcome>) => {
        if (outcomes[index]) return;
        outcomes[index] = outcome;
        if (--unsettled > 0) return;
        clearTimeout(timer);
        resolve(outcomes);
      };
      const timer = setTimeout(() => {
        const reason = new Error(`No confirm from the broker within ${PUBLISH_TIMEOUT_MS} ms`);
        messages.forEach((_, index) => settle(index, { status: 'rejected', reason }));
      }, PUBLISH_TIMEOUT_MS);
      void this.writeAll(channel, messages, settle, () => unsettled === 0);
    });
  }

  private async writeAll(
    channel: ConfirmChannel,
    messages: readonly MandatoryMessage[],
    settle: (index: number, outcome: PromiseSettledResult<MandatoryOutcome>) => void,
    timedOut: () => boolean,
  ): Promise<void> {
    for (const [index, message] of messages.entries()) {
      if (timedOut()) return;
      const key = returnKeyOf(mandatoryOptions(message));
      const confirmed = (error: unknown) => {
        const returned = this.returned.delete(key);
        settle(
          index,
          error
            ? { status: 'rejected', reason: error }
            : { status: 'fulfilled', value: returned ? 'unroutable' : 'routed' },
        );
      };
      try {
        const { exchange, routingKey, content } = message;
        if (!channel.publish(exchange, routingKey, content, mandatoryOptions(message), confirmed)) {
          await Promise.race([once(channel, 'drain'), once(channel, 'close')]);
        }
      } catch (error) {
        confirmed(error ?? new Error('publish failed'));
      }
    }
  }

  private async publishThroughWrapper(message: MandatoryMessage): Promise<MandatoryOutcome> {
    const options = mandatoryOptions(message);
    const key = returnKeyOf(options);
    try {
      await this.channel.publish(message.exchange, message.routingKey, message.content, options);
    } catch (error) {
      this.returned.delete(key);
      throw error;
    }
    return this.returned.delete(key) ? 'unroutable' : 'routed';
  }

  /** The broker blocks a connection that publishes during a memory or disk alarm, and says so. */
  private watchFlowControl(): void {
    let unblock = () => undefined as void;
    const release = () => {
      if (!this.blocked) return;
      this.blocked = null;
      unblock();
    };
    this.connection.on('blocked', ({ reason }: { reason: string }) => {
      if (this.blocked) return;
      this.blocked = new Promise<void>((resolve) => (unblock = resolve));
      this.logger.warn({ message: 'The broker blocks publishing (flow control); the relay pauses', reason });
    });
    this.connection.on('unblocked', () => {
      release();
      this.logger.log('The broker lets the publisher publish again');
    });
    // A new connection starts unblocked; the broker blocks it again if the alarm still holds.
    this.connection.on('disconnect', release);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.channel.close();
    await this.connection.close();
  }
}

function mandatoryOptions({ options, publishId }: MandatoryMessage): Options.Publish {
  const given = options.headers as Record<string, unknown> | undefined;
  const headers = publishId === undefined ? given : { ...given, [PUBLISH_ID_HEADER]: publishId };
  return { persistent: true, ...options, headers, mandatory: true };
}

function returnKeyOf(properties: { headers?: MessageProperties['headers']; messageId?: unknown }): string {
  const publishId: unknown = properties.headers?.[PUBLISH_ID_HEADER];
  return typeof publishId === 'string' ? publishId : String(properties.messageId);
}
