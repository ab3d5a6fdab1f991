export const OrderStatus = {
  Received: 'RECEIVED',
  Calculated: 'CALCULATED',
  Paid: 'PAID',
  PaymentFailed: 'PAYMENT_FAILED',
  Shipped: 'SHIPPED',
  Delivered: 'DELIVERED',
  Cancelled: 'CANCELLED',
} as const;

export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

export const ORDER_STATUSES: readonly OrderStatus[] = Object.values(OrderStatus);
