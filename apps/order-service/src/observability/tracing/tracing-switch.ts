/**
 * The OpenTelemetry variables the service honours and documents (.env.example, README); the SDK
 * reads them itself. Tracing is on when an exporter or an endpoint is named, and only then is the
 * SDK loaded: a service started without them runs no tracing code beyond the API's no-op calls.
 */
export const TRACING_VARIABLES = [
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_TRACES_EXPORTER',
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
  'OTEL_SERVICE_NAME',
  'OTEL_RESOURCE_ATTRIBUTES',
  'OTEL_BSP_SCHEDULE_DELAY',
  'OTEL_SDK_DISABLED',
] as const;

export function tracingRequested(environment: NodeJS.ProcessEnv): boolean {
  if (environment.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporter = environment.OTEL_TRACES_EXPORTER?.trim() ?? '';
  return exporter !== '' ? exporter !== 'none' : (environment.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() ?? '') !== '';
}
