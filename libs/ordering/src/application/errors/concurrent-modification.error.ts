/** Another writer changed the order since it was read (optimistic version check failed). */
export class ConcurrentModificationError extends Error {
  readonly code = 'concurrent-modification';

  constructor(
    readonly orderId: string,
    readonly expectedVersion: number,
  ) {
    super(`Order ${orderId} was modified concurrently (expected version ${expectedVersion}).`);
    this.name = 'ConcurrentModificationError';
  }
}
