import { type PublishCounts, textTable } from '@app/simulators';
import type { MessageKind, MixSettings } from './order-mix.js';

/** What product A sent and, from that, what the service should report (the demo compares the two). */
export interface SentSummary extends PublishCounts {
  readonly seed: number;
  readonly idPrefix: string;
  readonly epoch: string;
  readonly seconds: number;
  readonly byKind: Record<MessageKind, number>;
  /** Invalid messages by what is wrong with them. */
  readonly flaws: Record<string, number>;
  /** Holds when every message was confirmed and routed. */
  readonly expected: {
    readonly accepted: number;
    readonly duplicates: number;
    readonly rejected: Record<'duplicate-conflict' | 'invalid-json' | 'invalid-order', number>;
    readonly totalsByCurrency: Record<string, string>;
  };
}

export function sentSummary(
  settings: MixSettings,
  counts: PublishCounts,
  seconds: number,
  byKind: Record<MessageKind, number>,
  flaws: Record<string, number>,
  totalsByCurrency: Record<string, string>,
): SentSummary {
  return {
    seed: settings.seed,
    idPrefix: settings.idPrefix,
    epoch: settings.epoch.toISOString(),
    seconds: Math.round(seconds * 1000) / 1000,
    ...counts,
    byKind,
    flaws,
    expected: {
      accepted: byKind.new,
      duplicates: byKind.duplicate,
      rejected: {
        'duplicate-conflict': byKind.conflict,
        'invalid-json': byKind['invalid-json'],
        'invalid-order': byKind['invalid-order'],
      },
      totalsByCurrency,
    },
  };
}

export function renderSentSummary(summary: SentSummary): string {
  const { byKind, expected } = summary;
  const flaws = Object.entries(summary.flaws)
    .map(([flaw, count]) => `${flaw} ${count}`)
    .join(', ');
  const rows = [
    ['published', String(summary.published), ''],
    [
      'confirmed by the broker',
      String(summary.confirmed),
      summary.nacked > 0 ? `${summary.nacked} refused (nack)` : '',
    ],
    ['routed to no queue', String(summary.unroutable), summary.unroutable > 0 ? 'is the service running?' : ''],
    ['new orders', String(byKind.new), 'accepted and calculated'],
    ['duplicates', String(byKind.duplicate), 'acknowledged as duplicates, no new order'],
    ['conflicting duplicates', String(byKind.conflict), 'DLQ: duplicate-conflict'],
    ['invalid JSON', String(byKind['invalid-json']), 'DLQ: invalid-json'],
    ['invalid orders', String(byKind['invalid-order']), `DLQ: invalid-order${flaws ? ` (${flaws})` : ''}`],
  ];
  const totals = Object.entries(expected.totalsByCurrency)
    .map(([currency, amount]) => `${currency} ${amount}`)
    .join(', ');
  const rate = summary.seconds > 0 ? Math.round(summary.published / summary.seconds) : summary.published;
  return [
    `product A: ${summary.published} messages in ${summary.seconds.toFixed(1)} s (${rate}/s)`,
    textTable([['', 'count', 'what the service should do'], ...rows]),
    `totals of the new orders: ${totals || 'none'}`,
    `replay exactly: --seed ${summary.seed} --id-prefix ${summary.idPrefix} --epoch ${summary.epoch}`,
  ].join('\n');
}
