import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock, commandHandlers, IdGenerator, OrderRepository, UnitOfWork } from '@app/ordering';
import { DataSource } from 'typeorm';
import { Environment } from './config/environment.js';
import {
  InboundProcessingSettings,
  OrderPlacedDeliveryProcessor,
} from './inbound/amqp/order-placed.delivery-processor.js';
import { OrderPlacedMessageController } from './inbound/amqp/order-placed.message-controller.js';
import { AmqpDeadLetterPublisher } from './outbound/amqp/amqp-dead-letter.publisher.js';
import { AmqpPublisher } from './outbound/amqp/amqp-publisher.js';
import { DatabaseLifecycle } from './outbound/postgres/database-lifecycle.js';
import { TypeOrmOrderRepository } from './outbound/postgres/typeorm-order.repository.js';
import { TypeOrmUnitOfWork } from './outbound/postgres/typeorm-unit-of-work.js';
import { RandomUuidGenerator } from './outbound/system/random-uuid.generator.js';
import { SystemClock } from './outbound/system/system-clock.js';

const SHUTDOWN_GRACE_MS = 20_000;

const persistenceProviders = [
  DatabaseLifecycle,
  TypeOrmUnitOfWork,
  { provide: UnitOfWork, useExisting: TypeOrmUnitOfWork },
  { provide: OrderRepository, useClass: TypeOrmOrderRepository },
];

const messagingProviders = [
  {
    provide: AmqpPublisher,
    useFactory: (environment: Environment) => new AmqpPublisher(environment.RABBITMQ_URL),
    inject: [Environment],
  },
  {
    provide: AmqpDeadLetterPublisher,
    useFactory: (publisher: AmqpPublisher, environment: Environment) =>
      new AmqpDeadLetterPublisher(publisher, environment.DEAD_LETTER_EXCHANGE),
    inject: [AmqpPublisher, Environment],
  },
  {
    provide: InboundProcessingSettings,
    useFactory: (environment: Environment) =>
      new InboundProcessingSettings(
        environment.PROCESSING_MAX_ATTEMPTS,
        environment.RETRY_BASE_DELAY_MS,
        environment.RETRY_MAX_DELAY_MS,
        SHUTDOWN_GRACE_MS,
      ),
    inject: [Environment],
  },
  OrderPlacedDeliveryProcessor,
];

const systemProviders = [
  { provide: Clock, useClass: SystemClock },
  { provide: IdGenerator, useClass: RandomUuidGenerator },
];

/** The composition root: plugs the adapters into the ordering core's ports. */
@Module({})
export class AppModule {
  static forRoot(environment: Environment, dataSource: DataSource): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      controllers: [OrderPlacedMessageController],
      providers: [
        { provide: Environment, useValue: environment },
        { provide: DataSource, useValue: dataSource },
        ...persistenceProviders,
        ...messagingProviders,
        ...systemProviders,
        ...commandHandlers,
      ],
    };
  }
}
