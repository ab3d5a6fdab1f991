import { OrderStatus } from './order-status.js';

/** What can happen to a calculated order (docs/contract.md, section 4). */
export const OrderChange = {
  ConfirmPayment: 'confirm-payment',
  RejectPayment: 'reject-payment',
  Ship: 'ship',
  Deliver: 'deliver',
  Cancel: 'cancel',
} as const;

export type OrderChange = (typeof OrderChange)[keyof typeof OrderChange];

export const ORDER_CHANGES: readonly OrderChange[] = Object.values(OrderChange);

/** A change either moves the order to a status, leaves it as it is (no event), or is refused. */
export type ChangeOutcome = OrderStatus | 'no-change' | 'refused';

const { ConfirmPayment, RejectPayment, Ship, Deliver, Cancel } = OrderChange;
const { Received, Calculated, Paid, PaymentFailed, Shipped, Delivered, Cancelled } = OrderStatus;

/**
 * The status machine, row by row as the contract's table has it. A payment confirmed again by the
 * payment that paid the order is no change; the aggregate tells that case apart before asking here.
 */
// prettier-ignore
export const ORDER_LIFECYCLE: Readonly<Record<OrderStatus, Readonly<Record<OrderChange, ChangeOutcome>>>> = {
  [Received]:      { [ConfirmPayment]: 'refused', [RejectPayment]: 'refused',     [Ship]: 'refused',   [Deliver]: 'refused',   [Cancel]: 'refused' },
  [Calculated]:    { [ConfirmPayment]: Paid,      [RejectPayment]: PaymentFailed, [Ship]: 'refused',   [Deliver]: 'refused',   [Cancel]: Cancelled },
  [PaymentFailed]: { [ConfirmPayment]: Paid,      [RejectPayment]: 'no-change',   [Ship]: 'refused',   [Deliver]: 'refused',   [Cancel]: Cancelled },
  [Paid]:          { [ConfirmPayment]: 'refused', [RejectPayment]: 'no-change',   [Ship]: Shipped,     [Deliver]: 'refused',   [Cancel]: Cancelled },
  [Shipped]:       { [ConfirmPayment]: 'refused', [RejectPayment]: 'no-change',   [Ship]: 'no-change', [Deliver]: Delivered,   [Cancel]: 'refused' },
  [Delivered]:     { [ConfirmPayment]: 'refused', [RejectPayment]: 'no-change',   [Ship]: 'refused',   [Deliver]: 'no-change', [Cancel]: 'refused' },
  [Cancelled]:     { [ConfirmPayment]: 'refused', [RejectPayment]: 'no-change',   [Ship]: 'refused',   [Deliver]: 'refused',   [Cancel]: 'no-change' },
};

/** How a refusal names the change: "Order … cannot be shipped: it is CANCELLED." */
export const CHANGE_PARTICIPLE: Readonly<Record<OrderChange, string>> = {
  [ConfirmPayment]: 'paid',
  [RejectPayment]: 'marked as payment failed',
  [Ship]: 'shipped',
  [Deliver]: 'delivered',
  [Cancel]: 'cancelled',
};
