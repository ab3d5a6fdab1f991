import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { AmqpHealthIndicator } from './amqp.health-indicator.js';
import { PostgresHealthIndicator } from './postgres.health-indicator.js';

/** Kubernetes probes; no API key. */
@ApiTags('health')
@Controller('health')
export class HealthHttpController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: PostgresHealthIndicator,
    private readonly broker: AmqpHealthIndicator,
  ) {}

  /** No dependency is checked: a broker or database outage must not get every pod restarted. */
  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process serves HTTP.' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: database reachable, broker connected, inbound consumer attached; 503 otherwise.',
  })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.database.check(), () => this.broker.check()]);
  }
}
