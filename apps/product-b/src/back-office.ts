import {
  type ChangeAnswer,
  type ConsumedCounts,
  EventQueueConsumer,
  type OrderApiClient,
  type OrderStatusChangedMessage,
  SeededRandom,
  ShareTable,
  type StatusChange,
} from '@app/simulators';

/** The changes the back office makes over REST (contract section 4.2). */
export type BackOfficeChange = 'ship' | 'deliver' | 'cancel' | 'cancel-delivered';
export const BACK_OFFICE_CHANGES: readonly BackOfficeChange[] = ['ship', 'deliver', 'cancel', 'cancel-delivered'];

export interface BackOfficeSettings {
  readonly seed: number;
  /** Shares of the paid orders shipped and cancelled (together at most 1); the others wait. */
  readonly ship: number;
  readonly cancel: number;
  /** Share of the shipped orders delivered, once OrderShipped arrives. */
  readonly deliver: number;
  /** Share of the delivered orders the customer then asks to cancel: the service must refuse (409). */
  readonly cancelDelivered: number;
}

/** What the back office does with one order, drawn from the seed and its externalId. */
export interface OrderHandling {
  readonly onPaid: 'ship' | 'cancel' | 'wait';
  readonly deliver: boolean;
  readonly cancelDelivered: boolean;
}

/** Answers to one kind of change: 200 with a new version, 200 with none (already made), 409. */
export interface ChangeAnswers {
  changed: number;
  unchanged: number;
  refused: number;
}

/** What product B's back office prints when it stops (`--json`). */
export interface BackOfficeSummary extends ConsumedCounts {
  readonly seed: number;
  readonly queue: string;
  readonly eventsByType: Record<string, number>;
  /** Each order's event types in version order (OrderPaid, OrderShipped…). */
  readonly eventsByOrder: Record<string, string[]>;
  readonly changes: Record<BackOfficeChange, ChangeAnswers>;
  /** The first few refusals, as the service worded them. */
  readonly refusals: string[];
  readonly lastRetryReason: string | null;
  readonly error: string | null;
}

const REFUSALS_KEPT = 5;
const CARRIERS = ['Correios', 'Jadlog', 'Loggi', 'DHL'];

/**
 * Product B's back office on `order.status-changed` (contract section 4.3): it ships or cancels
 * paid orders, delivers shipped ones, and tries to cancel a few delivered ones, over REST with its
 * key. It cancels only paid orders, never one a payment may still be sent for.
 */
export class BackOfficePlan {
  private readonly onPaid: ShareTable<OrderHandling['onPaid']>;

  constructor(private readonly settings: BackOfficeSettings) {
    this.onPaid = new ShareTable<OrderHandling['onPaid']>(
      [
        ['ship', settings.ship],
        ['cancel', settings.cancel],
      ],
      'wait',
    );
  }

  handlingOf(externalId: string): OrderHandling {
    const random = SeededRandom.forKey(this.settings.seed, externalId);
    return {
      onPaid: this.onPaid.pick(random.next()),
      deliver: random.next() < this.settings.deliver,
      cancelDelivered: random.next() < this.settings.cancelDelivered,
    };
  }

  /** The change to make on receiving this event, if any. */
  changeFor(event: OrderStatusChangedMessage): [BackOfficeChange, StatusChange] | null {
    const handling = this.handlingOf(event.externalId);
    switch (event.eventType) {
      case 'OrderPaid':
        if (handling.onPaid === 'cancel') return ['cancel', { status: 'CANCELLED', reason: 'out of stock' }];
        if (handling.onPaid === 'wait') return null;
        return ['ship', { status: 'SHIPPED', carrier: carrierOf(event.orderId), trackingCode: `TR-${event.version}` }];
      case 'OrderShipped':
        return handling.deliver ? ['deliver', { status: 'DELIVERED' }] : null;
      case 'OrderDelivered':
        return handling.cancelDelivered
          ? ['cancel-delivered', { status: 'CANCELLED', reason: 'the customer changed their mind' }]
          : null;
      default:
        return null;
    }
  }
}

function carrierOf(orderId: string): string {
  return CARRIERS[orderId.charCodeAt(0) % CARRIERS.length];
}

export interface BackOfficeQueue {
  readonly url: string;
  /** The service's `order.status-changed` queue, consumed as the service declared it. */
  readonly queue: string;
  readonly prefetch: number;
}

/** The back office at work: every status event recorded, the planned changes made over REST. */
export class BackOffice {
  readonly eventsByType: Record<string, number> = {};
  readonly changes = Object.fromEntries(
    BACK_OFFICE_CHANGES.map((change) => [change, { changed: 0, unchanged: 0, refused: 0 }]),
  ) as Record<BackOfficeChange, ChangeAnswers>;
  readonly refusals: string[] = [];
  private readonly events = new Map<string, Map<number, string>>();
  private consumer!: EventQueueConsumer<OrderStatusChangedMessage>;

  private constructor(
    private readonly plan: BackOfficePlan,
    private readonly api: OrderApiClient,
  ) {}

  static async start(
    queue: BackOfficeQueue,
    plan: BackOfficePlan,
    api: OrderApiClient,
    onFatal: (error: Error) => void,
  ): Promise<BackOffice> {
    const office = new BackOffice(plan, api);
    office.consumer = await EventQueueConsumer.start(
      { ...queue, connectionName: 'product-b back office' },
      readStatusChanged,
      (event) => office.handle(event),
      onFatal,
    );
    return office;
  }

  get consumed(): ConsumedCounts {
    return this.consumer.counts;
  }

  get inFlightCount(): number {
    return this.consumer.inFlightCount;
  }

  get lastRetryReason(): string | null {
    return this.consumer.lastRetryReason;
  }

  private eventsByOrder(): Record<string, string[]> {
    return Object.fromEntries(
      [...this.events].map(([orderId, byVersion]) => [
        orderId,
        [...byVersion].sort(([a], [b]) => a - b).map(([, eventType]) => eventType),
      ]),
    );
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  summary(context: { seed: number; queue: string; error: string | null }): BackOfficeSummary {
    return {
      seed: context.seed,
      queue: context.queue,
      ...this.consumed,
      eventsByType: this.eventsByType,
      eventsByOrder: this.eventsByOrder(),
      changes: this.changes,
      refusals: this.refusals,
      lastRetryReason: this.lastRetryReason,
      error: context.error,
    };
  }

  private async handle(event: OrderStatusChangedMessage): Promise<void> {
    const planned = this.plan.changeFor(event);
    if (planned !== null) this.count(planned[0], event, await this.apply(event.orderId, ...planned));
    // Recorded once handled: a retried event is not counted twice.
    this.eventsByType[event.eventType] = (this.eventsByType[event.eventType] ?? 0) + 1;
    const byVersion = this.events.get(event.orderId) ?? new Map<number, string>();
    this.events.set(event.orderId, byVersion.set(event.version, event.eventType));
  }

  /** A paid order is cancelled with DELETE, everything else with PUT: both routes of the contract in use. */
  private apply(orderId: string, change: BackOfficeChange, request: StatusChange): Promise<ChangeAnswer> {
    return change === 'cancel' && request.status === 'CANCELLED'
      ? this.api.cancel(orderId, request.reason)
      : this.api.changeStatus(orderId, request);
  }

  private count(change: BackOfficeChange, event: OrderStatusChangedMessage, answer: ChangeAnswer): void {
    const answers = this.changes[change];
    if (answer.outcome === 'refused') {
      answers.refused++;
      if (this.refusals.length < REFUSALS_KEPT) this.refusals.push(answer.message);
    } else if (answer.order.version > event.version) answers.changed++;
    else answers.unchanged++;
  }
}

function readStatusChanged(content: Buffer): OrderStatusChangedMessage | null {
  const event = JSON.parse(content.toString('utf8')) as Partial<OrderStatusChangedMessage>;
  return typeof event.eventId === 'string' &&
    typeof event.orderId === 'string' &&
    typeof event.externalId === 'string' &&
    typeof event.version === 'number'
    ? (event as OrderStatusChangedMessage)
    : null;
}
