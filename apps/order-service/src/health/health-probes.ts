import { Injectable } from '@nestjs/common';
import { type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { AmqpHealthIndicator } from './amqp.health-indicator.js';
import { PostgresHealthIndicator } from './postgres.health-indicator.js';
import { RecentResult } from '../observability/recent-result.js';

/** How long one readiness answer serves every probe (kubelets, load balancers, monitors), on every port. */
export const READINESS_CACHE_MS = 1_000;

/**
 * The two probes, shared by the API port and the management port: a failing one rejects with
 * terminus's 503 exception, whose response lists the checks.
 */
@Injectable()
export class HealthProbes {
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
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  ready(): Promise<HealthCheckResult> {
    return this.readiness.get();
  }
}
