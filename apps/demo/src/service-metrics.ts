/** The service's counters that tell what happened to each delivery, read from GET /metrics. */
export interface IntakeCounters {
  readonly received: number;
  readonly duplicates: number;
  readonly rejected: Record<string, number>;
  readonly calculated: number;
  readonly eventsPublished: number;
  readonly outboxBacklog: number;
}

const SAMPLE = /^([a-z_]+)(?:\{reason="([^"]+)"\})? (\S+)$/gm;

export async function readIntakeCounters(baseUrl: string): Promise<IntakeCounters> {
  const response = await fetch(`${baseUrl}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  const samples = new Map<string, number>();
  const rejected: Record<string, number> = {};
  for (const [, name, reason, value] of (await response.text()).matchAll(SAMPLE)) {
    if (name === 'orders_rejected_total' && reason !== undefined) rejected[reason] = Number(value);
    else if (reason === undefined) samples.set(name, Number(value));
  }
  const sample = (name: string) => samples.get(name) ?? Number.NaN;
  return {
    received: sample('orders_received_total'),
    duplicates: sample('orders_duplicates_total'),
    rejected,
    calculated: sample('orders_calculated_total'),
    eventsPublished: sample('order_events_published_total'),
    outboxBacklog: sample('outbox_backlog_messages'),
  };
}

/** Deliveries the service has settled one way or another. */
export function handled(counters: IntakeCounters): number {
  return counters.received + counters.duplicates + Object.values(counters.rejected).reduce((a, b) => a + b, 0);
}
