import { HttpException, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HealthProbes } from './health-probes.js';
import { fromHttpException } from '../inbound/http/http-error.filter.js';
import { type HttpTimeouts, serverTimeouts } from '../inbound/http/http-hardening.js';
import { errorMessage } from '../observability/error-message.js';
import { OrderServiceMetrics } from '../observability/order-service.metrics.js';

export class ManagementSettings {
  /** MANAGEMENT_PORT; 0 asks the system for a free port. */
  readonly port: number;
  readonly timeouts: HttpTimeouts;

  constructor(fields: ManagementSettings) {
    Object.assign(this, fields);
  }
}

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
const json = (status: number, body: unknown): Answer => ({
  status,
  contentType: JSON_CONTENT_TYPE,
  body: JSON.stringify(body),
});

/**
 * The probes and the scrape on a listener of their own (MANAGEMENT_PORT), with the same answers as
 * on the API port but none of its rate limit, API-key traffic or request queue in their way, and a
 * port that a NetworkPolicy can keep inside the cluster. A plain Node server: three GET routes.
 */
@Injectable()
export class ManagementServer implements OnApplicationShutdown {
  private readonly logger = new Logger('Management');
  private readonly server: Server;
  private readonly routes: ReadonlyMap<string, () => Promise<Answer>>;

  constructor(
    probes: HealthProbes,
    metrics: OrderServiceMetrics,
    private readonly settings: ManagementSettings,
  ) {
    this.routes = new Map([
      ['/health/live', () => this.probe(() => probes.live())],
      ['/health/ready', () => this.probe(() => probes.ready())],
      [
        '/metrics',
        async () => ({
          status: 200,
          contentType: metrics.registry.contentType,
          body: await metrics.registry.metrics(),
        }),
      ],
    ]);
    const { http } = serverTimeouts(settings.timeouts);
    this.server = createServer({ ...http, keepAliveTimeout: settings.timeouts.keepAliveMs }, (request, response) => {
      void this.answer(request, response);
    });
    this.server.setTimeout(settings.timeouts.connectionMs);
  }

  /** Starts listening on every interface; resolves with the bound port. */
  async listen(): Promise<number> {
    this.server.listen(this.settings.port, '0.0.0.0');
    await once(this.server, 'listening');
    return (this.server.address() as AddressInfo).port;
  }

  /** Last of all, so that probes and scrapes see the whole shutdown. */
  async onApplicationShutdown(): Promise<void> {
    if (!this.server.listening) return;
    const closed = once(this.server, 'close');
    this.server.close();
    await closed;
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const route = this.routes.get((request.url ?? '').split('?')[0]);
    const answer =
      request.method !== 'GET' && request.method !== 'HEAD'
        ? json(405, { statusCode: 405, error: 'Method Not Allowed', message: 'Only GET is served here.' })
        : route === undefined
          ? json(404, {
              statusCode: 404,
              error: 'Not Found',
              message: 'Only /health/live, /health/ready and /metrics.',
            })
          : await route().catch((error: unknown) => this.unexpected(error));
    response.writeHead(answer.status, { 'content-type': answer.contentType, 'cache-control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : answer.body);
  }

  /** A failing probe answers as on the API port: terminus's 503 with the checks in the body. */
  private async probe(check: () => Promise<unknown>): Promise<Answer> {
    try {
      return json(200, await check());
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      const body = fromHttpException(error);
      return json(body.statusCode, body);
    }
  }

  private unexpected(error: unknown): Answer {
    this.logger.error({ message: 'Unexpected error answering a management request', error: errorMessage(error) });
    return json(500, { statusCode: 500, error: 'Internal Server Error', message: 'An unexpected error occurred.' });
  }
}
