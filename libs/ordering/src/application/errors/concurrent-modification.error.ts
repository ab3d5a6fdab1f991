/**
 * Another writer changed the order since it was read (optimistic version check failed), recorded its
 * payment first, or stored an order under the same externalId first.
 */
export class ConcurrentModificationError extends Error {
  readonly code = 'concurrent-modification';

  constructor(
    readonly orderId: string,
    readonly expectedVersion: number | null = null,
  ) {
    const expected = expectedVersion === null ? '' : ` (expected version ${expectedVersion})`;
    super(`Order ${orderId} was modified concurrently${expected}.`);
    this.name = 'ConcurrentModificationError';
  }
}
