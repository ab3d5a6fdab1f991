import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { integerOption, runCli, runUntilStopped, shareOption } from '@app/simulators';
import { PaymentPlan } from './payment-plan.js';
import { paymentSummary, renderPaymentSummary } from './payment-summary.js';
import { PaymentSystem } from './payment-system.js';

const USAGE = `
payment-system: pays the order service's calculated orders as the payment system does
(docs/contract.md, section 4.1), until Ctrl-C or SIGTERM.

  node dist/apps/payment-system/src/main.js [options]

  Consumes OrderCalculated (and OrderPaymentFailed, to pay again) from its own durable queue bound to
  the events exchange, and publishes payment.confirmed / payment.rejected, persistent and confirmed.
  What happens to each order is drawn from the seed and the order's externalId:

  --rejected F       share of orders whose payment is refused (default 0.15)
  --retried F        share of those paid after all, once OrderPaymentFailed arrives (default 0.5)
  --duplicates F     share confirmed twice with the same message: a duplicate (default 0.04)
  --paid-twice F     share paid twice with two paymentIds: the second is dead-lettered (default 0.02)
  --wrong-amounts F  share confirmed with another amount: payment-mismatch (default 0.02)
  --unknown F        share whose payment names a random orderId: unknown-order (default 0.02)
  --invalid F        share whose payment is invalid: invalid-payment or invalid-json (default 0.02)
  --seed N           the same seed makes the same choices for the same externalIds (default random)
  --prefetch N       events handled at once (default 50)
  --json             print the summary as JSON on stdout
  --url, --queue     broker and the payment system's queue (default RABBITMQ_URL and
                     PAYMENT_SYSTEM_QUEUE, or amqp://guest:guest@127.0.0.1:5672 and payment-system.order-events)
  The other names come from the service's variables: EVENTS_EXCHANGE, EVENTS_ROUTING_KEY,
  EVENTS_PAYMENT_FAILED_ROUTING_KEY, PAYMENTS_EXCHANGE, PAYMENTS_CONFIRMED_ROUTING_KEY,
  PAYMENTS_REJECTED_ROUTING_KEY (the contract's names when unset).
`;

const env = (variable: string, contractName: string) => process.env[variable] ?? contractName;

function readSettings() {
  const { values } = parseArgs({
    options: {
      rejected: { type: 'string', default: '0.15' },
      retried: { type: 'string', default: '0.5' },
      duplicates: { type: 'string', default: '0.04' },
      'paid-twice': { type: 'string', default: '0.02' },
      'wrong-amounts': { type: 'string', default: '0.02' },
      unknown: { type: 'string', default: '0.02' },
      invalid: { type: 'string', default: '0.02' },
      seed: { type: 'string', default: String(randomBytes(4).readUInt32BE()) },
      prefetch: { type: 'string', default: '50' },
      json: { type: 'boolean', default: false },
      url: { type: 'string', default: env('RABBITMQ_URL', 'amqp://guest:guest@127.0.0.1:5672') },
      queue: { type: 'string', default: env('PAYMENT_SYSTEM_QUEUE', 'payment-system.order-events') },
    },
    strict: true,
  });
  return {
    plan: {
      seed: integerOption('seed', values.seed, 0, 0xffffffff),
      rejected: shareOption('rejected', values.rejected),
      retried: shareOption('retried', values.retried),
      duplicates: shareOption('duplicates', values.duplicates),
      paidTwice: shareOption('paid-twice', values['paid-twice']),
      wrongAmounts: shareOption('wrong-amounts', values['wrong-amounts']),
      unknownOrders: shareOption('unknown', values.unknown),
      invalid: shareOption('invalid', values.invalid),
    },
    json: values.json,
    system: {
      url: values.url,
      queue: values.queue,
      prefetch: integerOption('prefetch', values.prefetch, 1, 65_535),
      eventsExchange: env('EVENTS_EXCHANGE', 'orders.events'),
      calculatedRoutingKey: env('EVENTS_ROUTING_KEY', 'order.calculated'),
      paymentFailedRoutingKey: env('EVENTS_PAYMENT_FAILED_ROUTING_KEY', 'order.payment-failed'),
      paymentsExchange: env('PAYMENTS_EXCHANGE', 'payments.events'),
      confirmedRoutingKey: env('PAYMENTS_CONFIRMED_ROUTING_KEY', 'payment.confirmed'),
      rejectedRoutingKey: env('PAYMENTS_REJECTED_ROUTING_KEY', 'payment.rejected'),
    },
  };
}

async function main(): Promise<number> {
  const settings = readSettings();
  const { running: system, error } = await runUntilStopped(
    (onFatal) => PaymentSystem.start(settings.system, new PaymentPlan(settings.plan), onFatal),
    `payment system: consuming ${settings.system.queue}, paying on ${settings.system.paymentsExchange}`,
    (system) => {
      const { published, confirmed } = system.publishCounts;
      return (
        `payment system · ${system.consumed.deliveries} events received · ${published} payments sent, ${confirmed} confirmed` +
        ` · ${system.awaitingFailure} to pay again · ${system.inFlightCount} in hand`
      );
    },
  );
  const summary = paymentSummary(system.tally, {
    seed: settings.plan.seed,
    queue: settings.system.queue,
    counts: system.publishCounts,
    awaitingFailure: system.awaitingFailure,
    error,
  });
  process.stdout.write(`${settings.json ? JSON.stringify(summary) : renderPaymentSummary(summary)}\n`);
  return summary.error === null && summary.published === summary.confirmed && summary.unroutable === 0 ? 0 : 1;
}

runCli(main, USAGE);
