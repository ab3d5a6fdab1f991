import { Logger } from '@nestjs/common';
import { type CustomTransportStrategy, type MessageHandler, RmqContext, Server } from '@nestjs/microservices';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChannelAcknowledgements } from './channel-acknowledgements.js';
import { hostOf, RabbitmqNodes } from '../../config/rabbitmq-nodes.js';
import { backoffDelay } from '../../resilience/backoff.js';
import { errorMessage } from '../../observability/error-message.js';

/**
 * Product A and the payment system send plain JSON, not Nest's `{ pattern, data }` envelope: the
 * queue a delivery comes from says what it is, and each queue's pattern picks its handler.
 */
export const ORDER_PLACED_PATTERN = 'order.placed';
export const PAYMENT_PATTERN = 'payment';

/** One queue consumed, with its handler's pattern and how many unacked deliveries it may hold. */
export interface InboundSubscription {
  readonly queue: string;
  readonly pattern: string;
  readonly prefetch: number;
}

export interface InboundServerOptions {
  /** RABBITMQ_URL: one node's URL or a cluster's, comma-separated. */
  readonly url: string;
  /** Shown in the broker's connection list, so an operator can tell which replica holds which connection. */
  readonly connectionName: string;
  readonly subscriptions: readonly InboundSubscription[];
  readonly reconnectBaseDelayMs: number;
  readonly reconnectMaxDelayMs: number;
}

export type InboundStatus = 'connecting' | 'consuming' | 'detached' | 'stopped';

/** One connection, its channel and the consumers on it; a new one replaces it after any loss. */
interface Session {
  readonly connection: ChannelModel;
  /** The node it is connected to, as host:port. */
  readonly node: string;
  channel?: Channel;
  readonly consumerTags: string[];
  attached: boolean;
}

const HEARTBEAT_SECONDS = 10;

/**
 * The inbound transport: consumes the service's queues (product A's orders, the payment system's
 * payments) on one channel with manual acks and a bounded prefetch each, and hands each delivery,
 * raw, to its queue's `@EventPattern` handler (whose processor settles it). It replaces the stock
 * RMQ server, which cannot say whether a consumer is attached right now (readiness needs that) and
 * stays detached after a channel-level close or a consumer cancelled by the broker (a deleted
 * queue, a quorum leader moving). Here any loss re-attaches every consumer with backoff until `close`.
 */
export class AmqpInboundServer extends Server<Record<string, never>, InboundStatus> implements CustomTransportStrategy {
  private readonly log = new Logger('InboundConsumer');
  private session: Session | null = null;
  private currentStatus: InboundStatus = 'connecting';
  private readonly stopping = new AbortController();
  private readonly handlers = new Map<string, MessageHandler>();
  private readonly nodes: RabbitmqNodes;

  constructor(private readonly options: InboundServerOptions) {
    super();
    this.nodes = new RabbitmqNodes(options.url);
  }

  get consuming(): boolean {
    return this.currentStatus === 'consuming';
  }

  get inboundStatus(): InboundStatus {
    return this.currentStatus;
  }

  /** Nest waits for the callback: it comes after the first attempt, so the HTTP probes start either way. */
  listen(callback: () => void): void {
    void this.attach().finally(callback);
  }

  /** Stops taking deliveries; those already taken stay on the channel until `close`, for the processor to settle. */
  async stopConsuming(): Promise<void> {
    this.stopping.abort();
    const session = this.session;
    this.setStatus('stopped');
    for (const consumerTag of session?.consumerTags ?? []) {
      await session?.channel?.cancel(consumerTag).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.stopConsuming();
    const session = this.session;
    this.session = null;
    if (session?.channel) {
      // Closing the channel first: its close is queued behind the acks on the channel's own stream,
      // while the connection's close could overtake them.
      ChannelAcknowledgements.for(session.channel).flush();
      await session.channel.close().catch(() => undefined);
    }
    await session?.connection.close().catch(() => undefined);
  }

  on(): never {
    throw new Error('AmqpInboundServer exposes no events; read inboundStatus instead.');
  }

  unwrap<T>(): T {
    return this.session?.connection as T;
  }

  private async attach(): Promise<void> {
    for (let attempt = 1; !this.stopping.signal.aborted; attempt++) {
      try {
        await this.openSession();
        return;
      } catch (error) {
        const delay = backoffDelay(attempt, this.options.reconnectBaseDelayMs, this.options.reconnectMaxDelayMs);
        this.log.warn(`Cannot consume ${this.queues} (${errorMessage(error)}); retrying in ${delay} ms`);
        await sleep(delay, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    }
  }

  private async openSession(): Promise<void> {
    const { connection, url } = await this.nodes.connect(
      {
        // Off with Nagle's algorithm (amqplib leaves it on): an ack must not wait for the ACK of the last.
        noDelay: true,
        clientProperties: { connection_name: this.options.connectionName },
      },
      withHeartbeat,
    );
    const session: Session = { connection, node: hostOf(url), consumerTags: [], attached: false };
    this.session = session;
    connection.on('error', (error: Error) => this.log.warn(`Connection error: ${error.message}`));
    connection.on('close', () => this.lost(session, 'connection closed'));
    try {
      const channel = await connection.createChannel();
      channel.on('error', (error: Error) => this.log.warn(`Channel error: ${error.message}`));
      channel.on('close', () => this.lost(session, 'channel closed'));
      session.channel = channel;
      for (const { queue, pattern, prefetch } of this.options.subscriptions) {
        // Per consumer (global = false): each queue keeps its own share of unacked deliveries.
        await channel.prefetch(prefetch, false);
        const { consumerTag } = await channel.consume(
          queue,
          (message) =>
            message
              ? this.dispatch(message, channel, pattern)
              : this.lost(session, `consumer of ${queue} cancelled by the broker`),
          { noAck: false },
        );
        session.consumerTags.push(consumerTag);
      }
      session.attached = true;
    } catch (error) {
      this.session = null;
      await connection.close().catch(() => undefined);
      throw error;
    }
    if (this.stopping.signal.aborted) return;
    this.setStatus('consuming');
    const prefetches = this.options.subscriptions.map(({ queue, prefetch }) => `${queue} prefetch ${prefetch}`);
    this.log.log(`Consuming on ${session.node}: ${prefetches.join(', ')}`);
  }

  private get queues(): string {
    return this.options.subscriptions.map(({ queue }) => queue).join(', ');
  }

  /** Every loss (connection, channel or consumer) ends the session once and starts a new one. */
  private lost(session: Session, reason: string): void {
    if (this.session !== session) return;
    this.session = null;
    void session.connection.close().catch(() => undefined);
    // A session lost while still opening makes its opener fail, and the opener's loop retries.
    if (!session.attached || this.stopping.signal.aborted) return;
    this.setStatus('detached');
    this.log.warn(`Stopped consuming ${this.queues} on ${session.node}: ${reason}; re-attaching`);
    void this.attach();
  }

  /**
   * Straight to the handler, resolved once: the generic path (`handleEvent`) looks the pattern up
   * per message by trying to JSON.parse it, an exception per delivery that showed in profiles.
   */
  private dispatch(message: ConsumeMessage, channel: Channel, pattern: string): void {
    ChannelAcknowledgements.for(channel).received(message);
    const handler = this.handlerFor(pattern);
    if (!handler) {
      this.log.error(`No handler for ${pattern}; the delivery stays unacknowledged`);
      return;
    }
    const context = new RmqContext([message, channel, pattern]);
    handler(null, context).catch((error: unknown) => this.log.error(`Delivery handler failed: ${errorMessage(error)}`));
  }

  private handlerFor(pattern: string): MessageHandler | null {
    let handler = this.handlers.get(pattern) ?? null;
    if (!handler) {
      handler = this.getHandlerByPattern(pattern);
      if (handler) this.handlers.set(pattern, handler);
    }
    return handler;
  }

  private setStatus(status: InboundStatus): void {
    this.currentStatus = status;
    this._status$.next(status);
  }
}

/** A dead peer is noticed within two heartbeats instead of the TCP timeout; an explicit URL setting wins. */
function withHeartbeat(url: string): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('heartbeat')) parsed.searchParams.set('heartbeat', String(HEARTBEAT_SECONDS));
  return parsed.toString();
}
