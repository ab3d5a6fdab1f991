import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';

/** A shared transaction links every delivery in it: up to 1,000 (INBOUND_BATCH_SIZE's maximum), not the SDK's 128. */
const LINKS_PER_SPAN = 1_000;

export interface Tracing {
  /** Exports the spans still buffered; the process calls it last at shutdown. */
  shutdown(): Promise<void>;
}

/**
 * The OpenTelemetry SDK, configured by the standard OTEL_* variables (exporter, endpoint, protocol,
 * sampler, resource). Loaded only when tracing is requested, before the modules it instruments.
 * Traces only: metrics stay Prometheus's (/metrics) and logs stay on stdout.
 *
 * HTTP and pg are instrumented automatically. AMQP spans are made by the adapters: the amqplib
 * instrumentation ends a consumer span when `ack` receives that delivery's own object, while the
 * service acks coalesced runs by delivery tag (ChannelAcknowledgements), so its spans would never end.
 */
export function startTracing(serviceName: string): Tracing {
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME || serviceName,
    instrumentations: [
      // Probes and scrapes come every few seconds and say nothing about an order.
      new HttpInstrumentation({ ignoreIncomingRequestHook: ({ url }) => isProbeOrScrape(url) }),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
    spanLimits: { linkCountLimit: LINKS_PER_SPAN },
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}

function isProbeOrScrape(url: string | undefined): boolean {
  return url !== undefined && (url.startsWith('/health/') || url === '/metrics');
}
