import { Logger, ServiceUnavailableException } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HealthProbes } from './health-probes.js';
import { ManagementServer, ManagementSettings } from './management.server.js';
import type { OrderServiceMetrics } from '../observability/order-service.metrics.js';

const UP = { status: 'ok', info: {}, error: {}, details: {} };
const DOWN = { status: 'error', info: {}, error: { database: { status: 'down' } }, details: {} };

describe('ManagementServer', () => {
  let server: ManagementServer;
  let baseUrl: string;

  async function start(ready: () => Promise<unknown>): Promise<void> {
    const registry = new Registry();
    new Counter({ name: 'probes_test_total', help: 'A counter to scrape.', registers: [registry] }).inc();
    const timeouts = { headersMs: 1_000, requestMs: 1_000, connectionMs: 1_000, keepAliveMs: 1_000 };
    server = new ManagementServer(
      { live: () => Promise.resolve(UP), ready } as unknown as HealthProbes,
      { registry } as OrderServiceMetrics,
      new ManagementSettings({ port: 0, timeouts }),
    );
    baseUrl = `http://127.0.0.1:${await server.listen()}`;
  }

  afterEach(() => server.onApplicationShutdown());

  it('answers the probes and the scrape, and nothing else', async () => {
    await start(() => Promise.resolve(UP));
    const live = await fetch(`${baseUrl}/health/live`);
    expect([live.status, await live.json()]).toEqual([200, UP]);
    expect((await fetch(`${baseUrl}/health/ready?probe=kubelet`)).status).toBe(200);
    const scrape = await fetch(`${baseUrl}/metrics`);
    expect(scrape.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await scrape.text()).toMatch(/^probes_test_total 1$/m);
    const head = await fetch(`${baseUrl}/metrics`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
    expect((await fetch(`${baseUrl}/orders`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/health/live`, { method: 'POST' })).status).toBe(405);
  });

  it('answers a failing readiness as the API port does: 503 with the checks', async () => {
    await start(() => Promise.reject(new ServiceUnavailableException(DOWN)));
    const ready = await fetch(`${baseUrl}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ...DOWN, statusCode: 503 });
  });

  it('answers 500 without details when a probe fails unexpectedly, and logs them', async () => {
    const logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    await start(() => Promise.reject(new Error('pool internals')));
    const ready = await fetch(`${baseUrl}/health/ready`);
    expect(ready.status).toBe(500);
    expect(await ready.text()).not.toContain('pool internals');
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ error: 'pool internals' }));
    logged.mockRestore();
  });

  it('stops listening at shutdown', async () => {
    await start(() => Promise.resolve(UP));
    await server.onApplicationShutdown();
    await expect(fetch(`${baseUrl}/health/live`)).rejects.toThrow();
  });
});
