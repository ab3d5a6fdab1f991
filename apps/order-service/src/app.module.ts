import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import {
  Clock,
  IdGenerator,
  OrderEventsOutbox,
  OrderHistoryStore,
  OrderRepository,
  orderingApplicationProviders,
  OrderViewStore,
  PaymentLedger,
  UnitOfWork,
} from '@app/ordering';
import { DataSource } from 'typeorm';
import { Environment } from './config/environment.js';
import { inboundPrefetchOf, intakeBatchSizeOf } from './config/inbound-prefetch.js';
import { AmqpHealthIndicator } from './health/amqp.health-indicator.js';
import { HealthHttpController } from './health/health.http-controller.js';
import { HealthProbes } from './health/health-probes.js';
import { ManagementServer, ManagementSettings } from './health/management.server.js';
import { PostgresHealthIndicator } from './health/postgres.health-indicator.js';
import { AmqpInboundServer } from './inbound/amqp/amqp-inbound.server.js';
import { DeliveryLane } from './inbound/amqp/delivery-lane.js';
import { InboundProcessingSettings, RedeliveryIsolation } from './inbound/amqp/delivery-processor.js';
import { OrderPlacedDeliveryProcessor } from './inbound/amqp/order-placed.delivery-processor.js';
import { OffThreadOrderDecoder } from './messaging/off-thread-order-decoder.js';
import { PaymentBatcher, PaymentBatchSettings } from './inbound/amqp/payment.batcher.js';
import { PaymentDeliveryProcessor, PaymentProcessingSettings } from './inbound/amqp/payment.delivery-processor.js';
import { PaymentMessageController } from './inbound/amqp/payment.message-controller.js';
import { OrderIntakeBatcher, OrderIntakeSettings } from './inbound/amqp/order-intake.batcher.js';
import { OrderPlacedMessageController } from './inbound/amqp/order-placed.message-controller.js';
import { ApiKeyGuard } from './inbound/http/auth/api-key.guard.js';
import { ApiKeys } from './inbound/http/auth/api-keys.js';
import { httpTimeoutsOf } from './inbound/http/http-hardening.js';
import { OrderChangesHttpController } from './inbound/http/order-changes.http-controller.js';
import { OrdersHttpController } from './inbound/http/orders.http-controller.js';
import { GracefulShutdown, ShutdownSettings } from './lifecycle/graceful-shutdown.js';
import { DeadLetterPublisher } from './messaging/dead-letter.publisher.js';
import { ProcessingMarks } from './messaging/processing-marks.js';
import { MetricsHttpController } from './observability/metrics.http-controller.js';
import { OrderServiceMetrics } from './observability/order-service.metrics.js';
import { TracingShutdown } from './observability/tracing/tracing-shutdown.js';
import type { Tracing } from './observability/tracing/tracing.sdk.js';
import { AmqpDeadLetterPublisher } from './outbound/amqp/amqp-dead-letter.publisher.js';
import { AmqpPublisher } from './outbound/amqp/amqp-publisher.js';
import { AmqpOrderEventsPublisher } from './outbound/outbox/amqp/amqp-order-events.publisher.js';
import { OutboxRelaySettings } from './outbound/outbox/outbox-relay.settings.js';
import { OutboxRelay } from './outbound/outbox/outbox.relay.js';
import { AmqpQueueDepths } from './outbound/amqp/amqp-queue-depths.js';
import { eventRoutingKeysOf } from './outbound/amqp/amqp-topology.js';
import { OutboxSignal } from './outbound/outbox/outbox.signal.js';
import { DatabaseLifecycle } from './outbound/postgres/database-lifecycle.js';
import { PostgresOutboxStore } from './outbound/outbox/postgres/postgres-outbox.store.js';
import { TypeOrmOrderEventsOutbox } from './outbound/outbox/postgres/typeorm-order-events.outbox.js';
import { PostgresProcessingMarks } from './outbound/postgres/postgres-processing-marks.js';
import { OrderViewStoreSettings, TypeOrmOrderViewStore } from './outbound/postgres/typeorm-order-view.store.js';
import { TypeOrmOrderHistoryStore } from './outbound/postgres/typeorm-order-history.store.js';
import { TypeOrmOrderRepository } from './outbound/postgres/typeorm-order.repository.js';
import { TypeOrmPaymentLedger } from './outbound/postgres/typeorm-payment.ledger.js';
import { TypeOrmUnitOfWork } from './outbound/postgres/typeorm-unit-of-work.js';
import { RandomUuidGenerator } from './outbound/system/random-uuid.generator.js';
import { SystemClock } from './outbound/system/system-clock.js';

/** How long a SIGTERM waits for the deliveries in hand; the orchestrator's grace period must exceed it. */
export const SHUTDOWN_GRACE_MS = 20_000;
/** One transaction commits while the next batch runs its commands: two keep the pool and the CPU busy. */
const BATCHES_IN_FLIGHT = 2;

const persistenceProviders = [
  DatabaseLifecycle,
  TypeOrmUnitOfWork,
  { provide: UnitOfWork, useExisting: TypeOrmUnitOfWork },
  { provide: OrderRepository, useClass: TypeOrmOrderRepository },
  { provide: OrderViewStore, useClass: TypeOrmOrderViewStore },
  {
    provide: OrderViewStoreSettings,
    useFactory: (environment: Environment) => new OrderViewStoreSettings(environment.HTTP_PAGE_MAX_BYTES),
    inject: [Environment],
  },
  { provide: OrderHistoryStore, useClass: TypeOrmOrderHistoryStore },
  { provide: PaymentLedger, useClass: TypeOrmPaymentLedger },
  { provide: OrderEventsOutbox, useClass: TypeOrmOrderEventsOutbox },
  PostgresOutboxStore,
  { provide: ProcessingMarks, useClass: PostgresProcessingMarks },
];

const messagingProviders = [
  {
    provide: AmqpPublisher,
    useFactory: (environment: Environment) =>
      new AmqpPublisher(environment.RABBITMQ_URL, `${environment.SERVICE_NAME} publisher`),
    inject: [Environment],
  },
  {
    provide: DeadLetterPublisher,
    useFactory: (publisher: AmqpPublisher, environment: Environment) =>
      new AmqpDeadLetterPublisher(publisher, environment.DEAD_LETTER_EXCHANGE),
    inject: [AmqpPublisher, Environment],
  },
  {
    provide: InboundProcessingSettings,
    useFactory: (environment: Environment) =>
      new InboundProcessingSettings({
        failures: {
          maxAttempts: environment.PROCESSING_MAX_ATTEMPTS,
          minFailingMs: environment.PROCESSING_MIN_FAILING_MS,
          maxCrashes: environment.PROCESSING_MAX_DELIVERIES,
        },
        retryBaseDelayMs: environment.RETRY_BASE_DELAY_MS,
        retryMaxDelayMs: environment.RETRY_MAX_DELAY_MS,
        shutdownGraceMs: SHUTDOWN_GRACE_MS,
        maxMessageBytes: environment.INBOUND_MAX_MESSAGE_BYTES,
        offThreadDecodeBytes: environment.INBOUND_OFF_THREAD_DECODE_BYTES,
      }),
    inject: [Environment],
  },
  {
    // One lane for both queues: a redelivery runs alone, with no order or payment beside it.
    provide: RedeliveryIsolation,
    useFactory: (marks: ProcessingMarks) => new RedeliveryIsolation(new DeliveryLane(), marks),
    inject: [ProcessingMarks],
  },
  {
    provide: OrderIntakeSettings,
    useFactory: (environment: Environment) =>
      new OrderIntakeSettings({ batchSize: intakeBatchSizeOf(environment), batchesInFlight: BATCHES_IN_FLIGHT }),
    inject: [Environment],
  },
  OrderIntakeBatcher,
  OffThreadOrderDecoder,
  OrderPlacedDeliveryProcessor,
  {
    provide: PaymentProcessingSettings,
    useFactory: (environment: Environment) =>
      new PaymentProcessingSettings({
        confirmedRoutingKey: environment.PAYMENTS_CONFIRMED_ROUTING_KEY,
        rejectedRoutingKey: environment.PAYMENTS_REJECTED_ROUTING_KEY,
        unknownOrderRetryMs: environment.PAYMENTS_UNKNOWN_ORDER_RETRY_MS,
        maxMessageBytes: environment.PAYMENTS_MAX_MESSAGE_BYTES,
      }),
    inject: [Environment],
  },
  {
    provide: PaymentBatchSettings,
    useFactory: (environment: Environment) =>
      new PaymentBatchSettings({ batchSize: environment.PAYMENTS_BATCH_SIZE, batchesInFlight: BATCHES_IN_FLIGHT }),
    inject: [Environment],
  },
  PaymentBatcher,
  {
    // Its own dead-letter exchange: payments' dead letters go to the payments DLQ (contract 4.1).
    provide: PaymentDeliveryProcessor,
    useFactory: (
      batcher: PaymentBatcher,
      payments: PaymentProcessingSettings,
      publisher: AmqpPublisher,
      environment: Environment,
      isolation: RedeliveryIsolation,
      settings: InboundProcessingSettings,
      metrics: OrderServiceMetrics,
    ) =>
      new PaymentDeliveryProcessor(
        batcher,
        payments,
        new AmqpDeadLetterPublisher(publisher, environment.PAYMENTS_DEAD_LETTER_EXCHANGE),
        isolation,
        settings,
        metrics,
      ),
    inject: [
      PaymentBatcher,
      PaymentProcessingSettings,
      AmqpPublisher,
      Environment,
      RedeliveryIsolation,
      InboundProcessingSettings,
      OrderServiceMetrics,
    ],
  },
  OutboxSignal,
  {
    provide: OutboxRelaySettings,
    useFactory: (environment: Environment) =>
      new OutboxRelaySettings({
        exchange: environment.EVENTS_EXCHANGE,
        routingKeys: eventRoutingKeysOf(environment),
        batchSize: environment.OUTBOX_BATCH_SIZE,
        pollIntervalMs: environment.OUTBOX_POLL_INTERVAL_MS,
        sweepAfterMs: environment.OUTBOX_SWEEP_AFTER_MS,
        retentionHours: environment.OUTBOX_RETENTION_HOURS,
        retryBaseDelayMs: environment.RETRY_BASE_DELAY_MS,
        retryMaxDelayMs: environment.RETRY_MAX_DELAY_MS,
      }),
    inject: [Environment],
  },
  AmqpOrderEventsPublisher,
  OutboxRelay,
  {
    provide: ShutdownSettings,
    useFactory: (environment: Environment) =>
      new ShutdownSettings({ outboxDrainMs: environment.SHUTDOWN_OUTBOX_DRAIN_MS }),
    inject: [Environment],
  },
  GracefulShutdown,
];

const httpProviders = [
  {
    provide: ApiKeys,
    useFactory: (environment: Environment) => new ApiKeys(environment.API_KEYS),
    inject: [Environment],
  },
  ApiKeyGuard,
  PostgresHealthIndicator,
  AmqpHealthIndicator,
  HealthProbes,
  {
    provide: ManagementSettings,
    useFactory: (environment: Environment) =>
      new ManagementSettings({ port: environment.MANAGEMENT_PORT, timeouts: httpTimeoutsOf(environment) }),
    inject: [Environment],
  },
  ManagementServer,
  {
    provide: AmqpQueueDepths,
    useFactory: (environment: Environment) =>
      new AmqpQueueDepths(environment.RABBITMQ_URL, `${environment.SERVICE_NAME} metrics`),
    inject: [Environment],
  },
  {
    provide: OrderServiceMetrics,
    useFactory: (
      environment: Environment,
      outbox: PostgresOutboxStore,
      queues: AmqpQueueDepths,
      database: PostgresHealthIndicator,
      broker: AmqpHealthIndicator,
    ) =>
      new OrderServiceMetrics({
        outboxBacklog: () => outbox.backlog(),
        queueDepths: () =>
          queues.read({
            inbound: environment.INBOUND_QUEUE,
            deadLetter: environment.DEAD_LETTER_QUEUE,
            paymentsDeadLetter: environment.PAYMENTS_DEAD_LETTER_QUEUE,
          }),
        ready: async () => (await database.check()).database.status === 'up' && broker.check().broker.status === 'up',
        inboundPrefetch: inboundPrefetchOf(environment).orders,
      }),
    inject: [Environment, PostgresOutboxStore, AmqpQueueDepths, PostgresHealthIndicator, AmqpHealthIndicator],
  },
];

const systemProviders = [
  { provide: Clock, useClass: SystemClock },
  { provide: IdGenerator, useClass: RandomUuidGenerator },
];

/** The composition root: plugs the adapters into the ordering core's ports. */
@Module({})
export class AppModule {
  static forRoot(
    environment: Environment,
    dataSource: DataSource,
    inbound: AmqpInboundServer,
    tracing: Tracing | null = null,
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), TerminusModule.forRoot({ errorLogStyle: 'json' })],
      controllers: [
        OrderPlacedMessageController,
        PaymentMessageController,
        OrdersHttpController,
        OrderChangesHttpController,
        HealthHttpController,
        MetricsHttpController,
      ],
      providers: [
        { provide: Environment, useValue: environment },
        { provide: DataSource, useValue: dataSource },
        { provide: AmqpInboundServer, useValue: inbound },
        ...persistenceProviders,
        ...messagingProviders,
        ...httpProviders,
        ...systemProviders,
        ...orderingApplicationProviders,
        ...(tracing ? [{ provide: TracingShutdown, useValue: new TracingShutdown(tracing) }] : []),
      ],
    };
  }
}
