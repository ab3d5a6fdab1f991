import type { ConsumeMessage } from 'amqplib';
import type { Rejection } from './rejection.js';

/**
 * Sends a delivery that retrying cannot help to the dead-letter queue, with the reason it was
 * rejected. The port between the inbound adapter that decides and the outbound one that publishes.
 */
export abstract class DeadLetterPublisher {
  abstract publish(message: ConsumeMessage, rejection: Rejection): Promise<void>;
}
