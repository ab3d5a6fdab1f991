import { Injectable } from '@nestjs/common';
import { ConcurrentModificationError, type PaymentNotice, PaymentLedger } from '@app/ordering';
import type { EntityManager } from 'typeorm';
import type { DeferredStatement, DeferredWrites } from './batch/deferred-statement.js';
import { PendingLoads } from './batch/pending-loads.js';
import { TypeOrmUnitOfWork } from './typeorm-unit-of-work.js';

const FINGERPRINTS = `SELECT payment_id, fingerprint FROM payments WHERE payment_id = ANY($1::text[])`;
/*
 * A replica that recorded one of these paymentIds first makes this wait for its commit, then skip
 * the row: the missing row fails the transaction, and its payment is decided again.
 */
const RECORD = `
  INSERT INTO payments (payment_id, order_id, outcome, fingerprint)
  SELECT payment_id, order_id, outcome, fingerprint
  FROM json_to_recordset($1::json) AS p(payment_id text, order_id uuid, outcome text, fingerprint text)
  ON CONFLICT (payment_id) DO NOTHING RETURNING payment_id`;

/** The payments one transaction acted on, recorded at commit with its other writes. */
class PendingPayments implements DeferredWrites {
  private payments: PaymentNotice[] = [];

  add(payment: PaymentNotice): void {
    this.payments.push(payment);
  }

  statement(): DeferredStatement | null {
    if (this.payments.length === 0) return null;
    const payments = this.payments;
    this.payments = [];
    const rows = payments.map(({ paymentId, orderId, outcome, fingerprint }) => ({
      payment_id: paymentId,
      order_id: orderId,
      outcome,
      fingerprint,
    }));
    return {
      sql: RECORD,
      parameters: [JSON.stringify(rows)],
      returned: (inserted) => {
        const recorded = new Set(inserted.map((row) => row.payment_id));
        const raced = payments.find((payment) => !recorded.has(payment.paymentId));
        if (raced) throw new ConcurrentModificationError(raced.orderId);
      },
    };
  }
}

@Injectable()
export class TypeOrmPaymentLedger extends PaymentLedger {
  private readonly loadsKey = {};
  private readonly pendingKey = {};

  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  /** One statement for every payment of the transaction that asks before the event loop turns. */
  fingerprintOf(paymentId: string): Promise<string | null> {
    return this.unitOfWork.inScope(async (scope) => {
      const loads = scope.shared(
        this.loadsKey,
        () => new PendingLoads<string, string>((ids) => fingerprints(scope.manager, ids)),
      );
      return (await loads.get(paymentId)) ?? null;
    });
  }

  /**
   * Deferred to the commit, in the change's transaction: when the change rolls back, the payment is
   * not recorded either; when a replica recorded the paymentId first, the commit fails and the
   * payment is decided again (a duplicate, then).
   */
  record(payment: PaymentNotice): Promise<void> {
    return this.unitOfWork.inScope((scope) => {
      scope.defer(this.pendingKey, () => new PendingPayments()).add(payment);
      return Promise.resolve();
    });
  }
}

async function fingerprints(manager: EntityManager, paymentIds: string[]): Promise<Map<string, string>> {
  const rows = await manager.query<{ payment_id: string; fingerprint: string }[]>(FINGERPRINTS, [paymentIds]);
  return new Map(rows.map((row) => [row.payment_id, row.fingerprint]));
}
