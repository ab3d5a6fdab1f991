import type { Channel } from 'amqplib';

export interface DeadLetterReport {
  readonly byReason: Record<string, number>;
  /** One `x-rejection-detail` per reason, as an operator reads it. */
  readonly examples: Record<string, string>;
}

/**
 * Reads every message in the DLQ and counts them by `x-rejection-reason`. Nothing is acknowledged:
 * closing the channel returns them to the queue, for a person to look at after `--keep`.
 */
export async function readDeadLetters(channel: Channel, queue: string): Promise<DeadLetterReport> {
  const byReason: Record<string, number> = {};
  const examples: Record<string, string> = {};
  const { messageCount } = await channel.checkQueue(queue);
  if (messageCount === 0) return { byReason, examples };
  await channel.prefetch(0);
  await new Promise<void>((resolve, reject) => {
    let read = 0;
    channel
      .consume(queue, (message) => {
        if (!message) return reject(new Error(`the consumer of ${queue} was cancelled`));
        const headers = message.properties.headers ?? {};
        const reason = String(headers['x-rejection-reason'] ?? '(no reason header)');
        byReason[reason] = (byReason[reason] ?? 0) + 1;
        examples[reason] ??= String(headers['x-rejection-detail'] ?? '');
        if (++read === messageCount) resolve();
      })
      .catch(reject);
  });
  return { byReason, examples };
}
