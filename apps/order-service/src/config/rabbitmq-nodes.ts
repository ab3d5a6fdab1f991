import amqp, { type ChannelModel } from 'amqplib';
import { errorMessage } from '../observability/error-message.js';

/** `RABBITMQ_URL` as its node URLs: one URL, or a comma-separated list of a cluster's nodes. */
export function rabbitmqNodeUrls(value: string): string[] {
  return value
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url.length > 0);
}

export interface NodeConnection {
  readonly connection: ChannelModel;
  readonly url: string;
}

/**
 * A cluster's nodes as one client sees them: the first connection goes to the first node that
 * answers; every later one starts with the node after the last one connected to, so a client whose
 * node went away (killed, partitioned, drained) moves to another instead of waiting for it.
 */
export class RabbitmqNodes {
  private readonly urls: readonly string[];
  private next = 0;

  constructor(rabbitmqUrl: string) {
    this.urls = rabbitmqNodeUrls(rabbitmqUrl);
    if (this.urls.length === 0) throw new Error('RABBITMQ_URL names no node');
  }

  /**
   * Tries each node once, in turn; fails with every node's error when none answers. `urlOf` may
   * add connection parameters to a node's URL (a heartbeat).
   */
  async connect(socketOptions: object = {}, urlOf = (url: string) => url): Promise<NodeConnection> {
    const failures: string[] = [];
    for (let tried = 0; tried < this.urls.length; tried++) {
      const index = (this.next + tried) % this.urls.length;
      const url = this.urls[index];
      try {
        const connection = await amqp.connect(urlOf(url), socketOptions);
        this.next = (index + 1) % this.urls.length;
        return { connection, url };
      } catch (error) {
        failures.push(`${hostOf(url)}: ${errorMessage(error)}`);
      }
    }
    this.next = (this.next + 1) % this.urls.length;
    throw new Error(failures.join('; '));
  }
}

/** host:port only: a URL's credentials never go into a log line. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an unparseable URL';
  }
}
