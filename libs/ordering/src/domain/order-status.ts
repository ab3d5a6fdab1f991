export const OrderStatus = {
  Received: 'RECEIVED',
  Calculated: 'CALCULATED',
} as const;

export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];
