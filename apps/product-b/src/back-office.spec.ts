import type { OrderStatusChangedMessage } from '@app/simulators';
import { describe, expect, it } from 'vitest';
import { BackOfficePlan, type BackOfficeSettings } from './back-office.js';

const settings: BackOfficeSettings = { seed: 42, ship: 0.6, cancel: 0.1, deliver: 0.7, cancelDelivered: 0.1 };

const anEvent = (index: number, eventType: string, version: number): OrderStatusChangedMessage => ({
  eventId: `e-${index}-${version}`,
  eventType,
  occurredAt: '2026-11-21T10:00:00Z',
  orderId: `5f0e2c1a-0000-4000-8000-${String(index).padStart(12, '0')}`,
  externalId: `A-spec-${index}`,
  customerId: null,
  status: 'PAID',
  previousStatus: 'CALCULATED',
  version,
  details: {},
});

describe("BackOfficePlan (product B's back office)", () => {
  it('draws the same handling for the same seed and externalId, and another for another seed', () => {
    const handlings = (seed: number) =>
      Array.from({ length: 300 }, (_, index) => new BackOfficePlan({ ...settings, seed }).handlingOf(`A-${index}`));
    expect(handlings(7)).toEqual(handlings(7));
    expect(handlings(8)).not.toEqual(handlings(7));
  });

  it('ships or cancels only on OrderPaid, delivers only on OrderShipped, and never acts on a refusal', () => {
    const plan = new BackOfficePlan(settings);
    for (let index = 0; index < 500; index++) {
      const handling = plan.handlingOf(`A-spec-${index}`);
      const onPaid = plan.changeFor(anEvent(index, 'OrderPaid', 2));
      expect(onPaid?.[0] ?? 'wait').toBe(handling.onPaid);
      expect(onPaid?.[1].status ?? null).toBe({ ship: 'SHIPPED', cancel: 'CANCELLED', wait: null }[handling.onPaid]);
      expect(plan.changeFor(anEvent(index, 'OrderShipped', 3))?.[0] ?? null).toBe(handling.deliver ? 'deliver' : null);
      expect(plan.changeFor(anEvent(index, 'OrderDelivered', 4))?.[0] ?? null).toBe(
        handling.cancelDelivered ? 'cancel-delivered' : null,
      );
      expect(plan.changeFor(anEvent(index, 'OrderPaymentFailed', 2))).toBeNull();
      expect(plan.changeFor(anEvent(index, 'OrderCancelled', 3))).toBeNull();
    }
  });

  it('keeps the shares it was given', () => {
    const plan = new BackOfficePlan(settings);
    const handlings = Array.from({ length: 20_000 }, (_, index) => plan.handlingOf(`A-${index}`));
    const share = (test: (handling: (typeof handlings)[number]) => boolean) =>
      handlings.filter(test).length / handlings.length;
    expect(share((handling) => handling.onPaid === 'ship')).toBeCloseTo(settings.ship, 1);
    expect(share((handling) => handling.onPaid === 'cancel')).toBeCloseTo(settings.cancel, 1);
    expect(share((handling) => handling.deliver)).toBeCloseTo(settings.deliver, 1);
  });
});
