import { tracingRequested } from './observability/tracing/tracing-switch.js';

/*
 * The entry point loads the OpenTelemetry SDK, when tracing is requested, before anything it
 * instruments (HTTP, pg) is imported; the service itself comes after, by a dynamic import.
 */
const tracing = tracingRequested(process.env)
  ? (await import('./observability/tracing/tracing.sdk.js')).startTracing(process.env.SERVICE_NAME || 'order-service')
  : null;
const { serve } = await import('./service.js');
await serve(tracing);
