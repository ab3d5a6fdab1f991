/** The caller changed an order on the strength of a version that is no longer current (HTTP If-Match). */
export class OrderVersionMismatchError extends Error {
  readonly code = 'version-mismatch';

  constructor(
    readonly orderId: string,
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(`Order ${orderId} is at version ${currentVersion}, not ${expectedVersion}; nothing was changed.`);
    this.name = 'OrderVersionMismatchError';
  }
}
