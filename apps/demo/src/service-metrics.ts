/** The service's counters that tell what happened to each delivery, read from GET /metrics. */
export interface IntakeCounters {
  readonly received: number;
  readonly duplicates: number;
  readonly rejected: Record<string, number>;
  readonly calculated: number;
  readonly eventsPublished: number;
  readonly outboxBacklog: number;
  /** Payments acted on by outcome (changed, unchanged, duplicate), and dead-lettered by reason. */
  readonly payments: { readonly received: Record<string, number>; readonly rejected: Record<string, number> };
}

const SAMPLE = /^([a-z_]+)(?:\{(?:reason|outcome)="([^"]+)"\})? (\S+)$/gm;

export async function readIntakeCounters(baseUrl: string): Promise<IntakeCounters> {
  const response = await fetch(`${baseUrl}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  const samples = new Map<string, number>();
  const labelled = new Map<string, Record<string, number>>();
  for (const [, name, label, value] of (await response.text()).matchAll(SAMPLE)) {
    if (label === undefined) samples.set(name, Number(value));
    else labelled.set(name, { ...labelled.get(name), [label]: Number(value) });
  }
  const sample = (name: string) => samples.get(name) ?? Number.NaN;
  const byLabel = (name: string) => labelled.get(name) ?? {};
  return {
    received: sample('orders_received_total'),
    duplicates: sample('orders_duplicates_total'),
    rejected: byLabel('orders_rejected_total'),
    calculated: sample('orders_calculated_total'),
    eventsPublished: sample('order_events_published_total'),
    outboxBacklog: sample('outbox_backlog_messages'),
    payments: { received: byLabel('payments_received_total'), rejected: byLabel('payments_rejected_total') },
  };
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Deliveries of product A's orders the service has settled one way or another. */
export function handled(counters: IntakeCounters): number {
  return counters.received + counters.duplicates + sum(counters.rejected);
}

/** Payments the service has settled: acted on or dead-lettered. */
export function paymentsHandled(counters: IntakeCounters): number {
  return sum(counters.payments.received) + sum(counters.payments.rejected);
}
