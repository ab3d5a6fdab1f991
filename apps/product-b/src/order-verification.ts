import { LIFECYCLE_STATUSES, minorUnitsOf, type OrderCalculatedMessage, type OrderDocument } from '@app/simulators';

const COMPARED_FIELDS = ['externalId', 'customerId', 'currency', 'total', 'itemCount'] as const;

/**
 * What product B checks before it trusts an OrderCalculated message: the REST API answers the same
 * order as CALCULATED or a later status, since a payment may already have followed (read-your-event),
 * with the same fields and lines, and the arithmetic holds
 * (each line total is price × quantity, the total their sum), computed exactly. Empty when all agree.
 */
export function differences(message: OrderCalculatedMessage, order: OrderDocument | null): string[] {
  if (order === null) return [`order ${message.orderId} is unknown to GET /orders/{orderId}`];
  const found: string[] = [];
  const calculated = (LIFECYCLE_STATUSES as readonly string[]).includes(order.status);
  if (!calculated) found.push(`status is ${order.status} over REST`);
  for (const field of COMPARED_FIELDS) {
    if (order[field] !== message[field]) {
      found.push(
        `${field}: ${JSON.stringify(message[field])} in the message, ${JSON.stringify(order[field])} over REST`,
      );
    }
  }
  if (JSON.stringify(order.items) !== JSON.stringify(message.items)) found.push('the items differ');
  found.push(...arithmeticErrors(message));
  return found;
}

function arithmeticErrors(message: OrderCalculatedMessage): string[] {
  const errors: string[] = [];
  let sum = 0n;
  message.items.forEach((item, index) => {
    const price = minorUnitsOf(item.unitPrice);
    const line = minorUnitsOf(item.lineTotal);
    if (line.scale !== price.scale || line.minorUnits !== price.minorUnits * BigInt(item.quantity)) {
      errors.push(`items[${index}].lineTotal ${item.lineTotal} is not ${item.unitPrice} × ${item.quantity}`);
    }
    sum += line.minorUnits;
  });
  if (message.total === null || minorUnitsOf(message.total).minorUnits !== sum) {
    errors.push(`total ${message.total} is not the sum of the line totals`);
  }
  if (message.itemCount !== message.items.length)
    errors.push(`itemCount ${message.itemCount} is not the number of items`);
  return errors;
}
