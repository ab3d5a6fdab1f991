/**
 * Who asked for a change, as the order's history records it: `amqp` with the routing key the message
 * came with, or `http` with the API key's fingerprint (never the key). The correlation id travels on
 * to the event's message.
 */
export interface ChangeOrigin {
  readonly source: 'amqp' | 'http';
  readonly actor: string;
  readonly correlationId: string | null;
}
