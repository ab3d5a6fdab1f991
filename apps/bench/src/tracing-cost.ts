import { compareModes, type ServiceMode } from './alternating-runs.js';

/*
 * `BENCH_TRACING=N npm run bench`: what tracing costs the service, in N rounds of alternating runs
 * (alternating-runs.ts): tracing off, on at 100 %, on at 10 % (parentbased_traceidratio) and on with
 * nothing sampled (always_off), exporting OTLP (http/protobuf, the default) to the bench's receiver.
 * BENCH_TRACING_BASELINE=<another build's main.js> adds a fifth run each round, of that build (the
 * release before tracing), to hold "off" against.
 */

const BASELINE = process.env.BENCH_TRACING_BASELINE;

const TRACING_MODES: readonly ServiceMode[] = [
  { name: 'off', environment: () => ({}) },
  { name: 'on, 100 %', environment: (endpoint) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }) },
  {
    name: 'on, 10 %',
    environment: (endpoint) => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    }),
  },
  // Everything a trace costs for every order (SDK, instrumentations, the carrier in the outbox and
  // the headers), with nothing recorded: the rest of "on, 10 %" is the price of what it records.
  {
    name: 'on, none sampled',
    environment: (endpoint) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_TRACES_SAMPLER: 'always_off' }),
  },
  ...(BASELINE ? [{ name: 'baseline build', environment: () => ({}), entry: BASELINE }] : []),
];

export const compareTracing = (rounds: number) => compareModes('tracing', TRACING_MODES, rounds);
