import type { OnApplicationShutdown } from '@nestjs/common';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';

const READ_TIMEOUT_MS = 2_000;

interface Session {
  readonly connection: ChannelModel;
  readonly channel: Channel;
  open: boolean;
}

/**
 * Reads how many messages the broker holds in the service's queues, for the metrics scrape. A
 * connection of its own, opened at the first read and again after any failure: a passive declare of
 * a missing queue closes its channel, which must not be the publisher's.
 */
export class AmqpQueueDepths implements OnApplicationShutdown {
  private session: Promise<Session> | null = null;

  constructor(
    private readonly url: string,
    private readonly connectionName: string,
  ) {}

  /** Messages ready in each queue; rejects when the broker cannot say within two seconds. */
  async read<Q extends string>(queues: Record<Q, string>): Promise<Record<Q, number>> {
    const timeout = new AbortController();
    try {
      return await Promise.race([
        this.count(queues),
        sleep(READ_TIMEOUT_MS, undefined, { signal: timeout.signal }).then(() => {
          throw new Error(`The broker did not answer within ${READ_TIMEOUT_MS} ms`);
        }),
      ]);
    } catch (error) {
      void this.close();
      throw error;
    } finally {
      timeout.abort();
    }
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  private async count<Q extends string>(queues: Record<Q, string>): Promise<Record<Q, number>> {
    let session = await (this.session ??= this.open());
    if (!session.open) {
      await this.close();
      session = await (this.session ??= this.open());
    }
    const { channel } = session;
    const entries = await Promise.all(
      Object.entries<string>(queues).map(async ([key, queue]) => [key, (await channel.checkQueue(queue)).messageCount]),
    );
    return Object.fromEntries(entries) as Record<Q, number>;
  }

  private async open(): Promise<Session> {
    const connection = await amqp.connect(this.url, { clientProperties: { connection_name: this.connectionName } });
    connection.on('error', () => undefined);
    const channel = await connection.createChannel();
    const session: Session = { connection, channel, open: true };
    channel.on('error', () => undefined);
    channel.on('close', () => (session.open = false));
    return session;
  }

  private async close(): Promise<void> {
    const session = this.session;
    this.session = null;
    await session?.then(({ connection }) => connection.close()).catch(() => undefined);
  }
}
