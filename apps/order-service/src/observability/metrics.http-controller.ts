import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { OrderServiceMetrics } from './order-service.metrics.js';

/** Prometheus scrape endpoint; no API key. The gauges that read a dependency share one read a second. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsHttpController {
  constructor(private readonly metrics: OrderServiceMetrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
