import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { AmqpHealthIndicator } from './amqp.health-indicator.js';
import { PostgresHealthIndicator } from './postgres.health-indicator.js';
import { RecentResult } from '../observability/recent-result.js';

/** How long one readiness answer serves every probe (kubelets, load balancers, monitors). */
export const READINESS_CACHE_MS = 1_000;

/** Kubernetes probes; no API key. */
@ApiTags('health')
@Controller('health')
export class HealthHttpController {
  private readonly readiness: RecentResult<HealthCheckResult>;

  constructor(
    private readonly health: HealthCheckService,
    database: PostgresHealthIndicator,
    broker: AmqpHealthIndicator,
  ) {
    this.readiness = new RecentResult(
      () => this.health.check([() => database.check(), () => broker.check()]),
      READINESS_CACHE_MS,
    );
  }

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
    return this.readiness.get();
  }
}
