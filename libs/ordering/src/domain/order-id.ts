// Any version, as the service's own ids (v4) and class-validator's IsUUID('all') accept: 8-4-4-4-12 hex digits.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `text` can be an order's id at all: anything else is refused before it reaches a query. */
export function isOrderId(text: string): boolean {
  return UUID.test(text);
}
