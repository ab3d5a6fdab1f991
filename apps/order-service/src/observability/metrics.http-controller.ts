import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { OrderServiceMetrics } from './order-service.metrics.js';
import { RecentResult } from './recent-result.js';

/** How long one scrape's text serves every scraper: the outbox backlog gauge reads the database. */
const SCRAPE_CACHE_MS = 1_000;

/** Prometheus scrape endpoint; no API key. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsHttpController {
  private readonly scrapes: RecentResult<string>;

  constructor(metrics: OrderServiceMetrics) {
    this.scrapes = new RecentResult(() => metrics.registry.metrics(), SCRAPE_CACHE_MS);
  }

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.scrapes.get();
  }
}
