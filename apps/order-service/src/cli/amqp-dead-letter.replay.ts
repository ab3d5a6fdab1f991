import type { ConfirmChannel, GetMessage, Options } from 'amqplib';
import { RabbitmqNodes } from '../config/rabbitmq-nodes.js';
import { decodeJsonMessage } from '../messaging/json-message.decoder.js';
import {
  carriedProperties,
  DEAD_LETTER_HEADERS,
  REJECTION_DETAIL_HEADER,
  REJECTION_REASON_HEADER,
} from '../outbound/amqp/amqp-dead-letter.publisher.js';

/** How often a message went back from the DLQ to the inbound exchange: repeats show a fix that did not hold. */
export const REPLAY_COUNT_HEADER = 'x-replay-count';

export interface DeadLetter {
  readonly messageId: string | null;
  readonly reason: string | null;
  readonly detail: string | null;
  /** The order's externalId, when the body is a JSON object that has one. */
  readonly externalId: string | null;
}

export type ReplayOutcome = 'listed' | 'replayed' | 'unroutable';

export interface ReplayRequest {
  /** Only dead letters with one of these `x-rejection-reason`s; every one when empty. */
  readonly reasons: readonly string[];
  readonly limit: number;
  /** List the matching dead letters and leave every one where it is. */
  readonly dryRun: boolean;
}

export interface ReplaySummary {
  /** Dead letters in the queue when the run began: the run looks at these and no others. */
  readonly inQueue: number;
  readonly matched: number;
  readonly replayed: number;
  /** The inbound exchange routed a message to no queue: the run stopped, the message is still a dead letter. */
  readonly stoppedUnroutable: boolean;
}

export interface DeadLetterReplayTarget {
  readonly url: string;
  readonly connectionName: string;
  readonly deadLetterQueue: string;
  readonly inboundExchange: string;
  readonly inboundRoutingKey: string;
}

/**
 * Sends dead letters back to the inbound exchange, each with its original body and properties, one
 * at a time: published with confirm and `mandatory`, and acked from the DLQ only once the broker has
 * confirmed it and routed it to a queue. A crash in between leaves it in both queues; the service's
 * duplicate check absorbs the second copy. Messages it takes but does not replay (other reasons,
 * a dry run) go back to the DLQ, in their place, when its connection closes.
 */
export class AmqpDeadLetterReplay {
  constructor(private readonly target: DeadLetterReplayTarget) {}

  async run(
    request: ReplayRequest,
    report: (letter: DeadLetter, outcome: ReplayOutcome) => void,
  ): Promise<ReplaySummary> {
    const { url, connectionName } = this.target;
    const { connection } = await new RabbitmqNodes(url).connect({
      clientProperties: { connection_name: connectionName },
    });
    try {
      const channel = await connection.createConfirmChannel();
      try {
        return await this.replayFrom(channel, request, report);
      } finally {
        // Closed before the connection: the broker drops acks still in flight when the connection closes first.
        await channel.close();
      }
    } finally {
      await connection.close();
    }
  }

  private async replayFrom(
    channel: ConfirmChannel,
    request: ReplayRequest,
    report: (letter: DeadLetter, outcome: ReplayOutcome) => void,
  ): Promise<ReplaySummary> {
    const { deadLetterQueue } = this.target;
    const { messageCount: inQueue } = await channel.checkQueue(deadLetterQueue);
    let matched = 0;
    let replayed = 0;
    // Bounded by the count at the start: a replayed message rejected again joins the queue's end.
    for (let taken = 0; taken < inQueue && matched < request.limit; taken++) {
      const message = await channel.get(deadLetterQueue, { noAck: false });
      if (message === false) break;
      const letter = deadLetterOf(message);
      if (request.reasons.length > 0 && !request.reasons.includes(letter.reason ?? '')) continue;
      matched += 1;
      if (request.dryRun) {
        report(letter, 'listed');
        continue;
      }
      if (!(await this.republish(channel, message))) {
        report(letter, 'unroutable');
        return { inQueue, matched, replayed, stoppedUnroutable: true };
      }
      channel.ack(message);
      replayed += 1;
      report(letter, 'replayed');
    }
    return { inQueue, matched, replayed, stoppedUnroutable: false };
  }

  /** True once confirmed and routed. One message in flight at a time, so a return is this message's. */
  private republish(channel: ConfirmChannel, message: GetMessage): Promise<boolean> {
    const { inboundExchange, inboundRoutingKey } = this.target;
    return new Promise((resolve, reject) => {
      let returned = false;
      const onReturn = () => (returned = true);
      channel.once('return', onReturn);
      channel.publish(inboundExchange, inboundRoutingKey, message.content, replayProperties(message), (error) => {
        channel.off('return', onReturn);
        if (error) reject(new Error(`The broker did not take the replayed message: ${String(error)}`));
        else resolve(!returned);
      });
    });
  }
}

function replayProperties({ properties }: GetMessage): Options.Publish {
  const headers: Record<string, unknown> = { ...(properties.headers ?? {}) };
  for (const header of DEAD_LETTER_HEADERS) delete headers[header];
  const replays = Number(headers[REPLAY_COUNT_HEADER] ?? 0);
  return {
    ...carriedProperties(properties),
    persistent: true,
    mandatory: true,
    headers: { ...headers, [REPLAY_COUNT_HEADER]: (Number.isInteger(replays) ? replays : 0) + 1 },
  };
}

function deadLetterOf({ properties, content }: GetMessage): DeadLetter {
  const headers: Record<string, unknown> = properties.headers ?? {};
  return {
    messageId: text(properties.messageId),
    reason: text(headers[REJECTION_REASON_HEADER]),
    detail: text(headers[REJECTION_DETAIL_HEADER]),
    externalId: externalIdOf(content),
  };
}

function externalIdOf(content: Buffer): string | null {
  try {
    const body = decodeJsonMessage(content, content.length);
    if (typeof body !== 'object' || body === null || !('externalId' in body)) return null;
    return typeof body.externalId === 'string' ? body.externalId : null;
  } catch {
    return null;
  }
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  return Buffer.isBuffer(value) ? value.toString('utf8') : null;
}
