export class OrderNotFoundError extends Error {
  readonly code = 'order-not-found';

  constructor(readonly orderId: string) {
    super(`Order ${orderId} does not exist.`);
    this.name = 'OrderNotFoundError';
  }
}
