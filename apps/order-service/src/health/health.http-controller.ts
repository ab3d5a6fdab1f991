import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult } from '@nestjs/terminus';
import { HealthProbes } from './health-probes.js';

/** Kubernetes probes; no API key. The management port answers the same routes (ManagementServer). */
@ApiTags('health')
@Controller('health')
export class HealthHttpController {
  constructor(private readonly probes: HealthProbes) {}

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process serves HTTP.' })
  live(): Promise<HealthCheckResult> {
    return this.probes.live();
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: database reachable, broker connected, inbound consumer attached; 503 otherwise.',
  })
  ready(): Promise<HealthCheckResult> {
    return this.probes.ready();
  }
}
