/** Connection-level AMQP replies that mean the broker went away, not that the request was wrong. */
const UNAVAILABLE_REPLY_CODES = new Set([
  320, // CONNECTION_FORCED: the broker is shutting down, or an operator closed the connection
  541, // INTERNAL_ERROR
]);
const UNAVAILABLE_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EHOSTDOWN',
]);
/** amqplib's own errors for a connection or channel that closed under a request, or a lost heartbeat. */
const UNAVAILABLE_MESSAGES = /Connection closed|Channel closed|Socket closed|Heartbeat timeout|Unexpected close/i;

/** True when an AMQP operation failed because the broker was not there; it may be run again later. */
export function isTransientBrokerError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number' && UNAVAILABLE_REPLY_CODES.has(code)) return true;
  if (typeof code === 'string' && UNAVAILABLE_NETWORK_CODES.has(code)) return true;
  return UNAVAILABLE_MESSAGES.test(error.message);
}
