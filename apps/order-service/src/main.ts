import 'reflect-metadata';
import { ConsoleLogger, Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { prepareBroker, prepareDatabase } from './bootstrap.js';
import { loadEnvironment } from './config/environment.js';
import { orderPlacedTransport } from './inbound/amqp/order-placed.transport.js';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

async function main(): Promise<void> {
  const environment = loadEnvironment();
  const logger = new ConsoleLogger({
    json: true,
    logLevels: LEVELS.slice(0, LEVELS.indexOf(environment.LOG_LEVEL as LogLevel) + 1),
  });
  Logger.overrideLogger(logger);
  const dataSource = await prepareDatabase(environment);
  await prepareBroker(environment);
  const app = await NestFactory.create(AppModule.forRoot(environment, dataSource), { logger });
  app.connectMicroservice(orderPlacedTransport(environment), { inheritAppConfig: true });
  app.enableShutdownHooks();
  await app.startAllMicroservices();
  await app.listen(environment.HTTP_PORT, '0.0.0.0');
  logger.log(
    `order-service consuming ${environment.INBOUND_QUEUE}, HTTP on port ${environment.HTTP_PORT}`,
    'Bootstrap',
  );
}

main().catch((error: unknown) => {
  // eslint-disable-next-line no-console -- the logger may not exist yet (bad configuration)
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
