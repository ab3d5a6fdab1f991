export class OutboxRelaySettings {
  readonly exchange: string;
  /** Each outgoing event type's routing key (contract sections 2 and 4.3). */
  readonly routingKeys: Readonly<Record<string, string>>;
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  /** A pending row older than this is no longer its own process's to publish, but any sweep's. */
  readonly sweepAfterMs: number;
  readonly retentionHours: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;

  constructor(fields: OutboxRelaySettings) {
    Object.assign(this, fields);
  }
}
