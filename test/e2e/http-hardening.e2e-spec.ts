import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCommand } from '../support/built-command.js';
import { type ApiAnswer, OrderApi } from '../support/order-api.js';
import { serviceEnvironment, TEST_API_KEY } from '../support/order-service.env.js';
import { ServiceProcess } from '../support/service-process.js';
import { tearDown } from '../support/tear-down.js';
import { TestBroker } from '../support/test-broker.js';
import { TestDatabase } from '../support/test-database.js';

const SECOND_KEY = 'second-test-api-key-0123456789';
const WRONG_KEY = 'wrong-test-api-key-0123456789';
const LIMIT = 30;
const DATABASE_PASSWORD = 'hunter2-database-secret';
const HEADERS_TIMEOUT_MS = 1_000;
const CONNECTION_TIMEOUT_MS = 2_000;
/** The timeouts, Node's check of them (every second at most) and a shared, busy machine. */
const CUT_OFF_WITHIN_MS = 6_000;

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

/**
 * Opens a raw connection to the service and, when `trickle`, sends a request's headers a few bytes
 * every 200 ms without ever finishing them (slow loris); resolves with how long the server kept the
 * socket open and what it answered.
 */
function heldFor(baseUrl: string, trickle: boolean): Promise<{ heldMs: number; answer: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(Number(port), hostname);
    let answer = '';
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`socket still open after ${CUT_OFF_WITHIN_MS * 2} ms`));
    }, CUT_OFF_WITHIN_MS * 2);
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('error', () => undefined);
    let header = 0;
    const timer = trickle ? setInterval(() => socket.write(`X-Slow-${header++}: a\r\n`), 200) : undefined;
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ heldMs: Date.now() - started, answer });
    });
    if (trickle) socket.write('GET /health/live HTTP/1.1\r\nHost: localhost\r\n');
  });
}

/** The statuses of `count` requests made one after the other. */
async function times(count: number, request: () => Promise<ApiAnswer>): Promise<number[]> {
  const statuses: number[] = [];
  for (let made = 0; made < count; made++) statuses.push((await request()).status);
  return statuses;
}

describe('the REST API hardened: security headers, rate limit, body limit, no secret written anywhere', () => {
  let database: TestDatabase;
  let broker: TestBroker;
  let limited: ServiceProcess;
  let unlimited: ServiceProcess;

  beforeAll(async () => {
    database = await TestDatabase.create();
    broker = await TestBroker.connect();
    const environment = (rateLimit: number) =>
      serviceEnvironment(database.url, broker.names, {
        API_KEYS: `${TEST_API_KEY},${SECOND_KEY}`,
        HTTP_RATE_LIMIT_PER_MINUTE: String(rateLimit),
      });
    limited = await ServiceProcess.start(environment(LIMIT));
    unlimited = await ServiceProcess.start({
      ...environment(0),
      HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      HTTP_CONNECTION_TIMEOUT_MS: String(CONNECTION_TIMEOUT_MS),
    });
  });

  afterAll(() => tearDown({ services: [limited, unlimited], broker, database }));

  it('sends security headers with every answer, and the OpenAPI page loads every script from the service itself', async () => {
    const api = new OrderApi(unlimited.baseUrl);
    const answers = [
      await api.get('/orders'),
      await api.get(`/orders/${crypto.randomUUID()}`),
      await api.anonymous('/orders'),
      await api.anonymous('/health/ready'),
      await api.anonymous('/docs'),
    ];
    for (const { headers } of answers) {
      expect(headers.get('content-security-policy')).toMatch(
        /default-src 'self'.*script-src 'self'.*frame-ancestors 'none'/,
      );
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('x-frame-options')).toBe('DENY');
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      expect(headers.get('x-powered-by')).toBeNull();
    }
    const page = answers[4].body as string;
    const scripts = [...page.matchAll(/<script([^>]*)>/g)].map(([, attributes]) => attributes);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts) {
      const source = /src=["']\.\/(docs\/[^"']+)["']/.exec(attributes)?.[1];
      expect(source, `inline or foreign script: <script${attributes}>`).toBeDefined();
      expect((await api.anonymous(`/${source}`)).status).toBe(200);
    }
  });

  it(`lets each API key, and each address without a valid key, make ${LIMIT} requests a minute, then answers 429`, async () => {
    const api = new OrderApi(limited.baseUrl);
    const second = new OrderApi(limited.baseUrl, SECOND_KEY);

    expect(await times(LIMIT, () => api.get('/orders?limit=1'))).toEqual(Array(LIMIT).fill(200));
    const refused = await api.get<ErrorBody>(`/orders/${crypto.randomUUID()}`, {
      Authorization: `Bearer ${TEST_API_KEY}`,
    });
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(new RegExp(`^More than ${LIMIT} requests a minute for this API key.*retry in`)),
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    expect((await second.get('/orders?limit=1')).status).toBe(200);
    expect(await times(LIMIT, () => api.anonymous('/orders'))).toEqual(Array(LIMIT).fill(401));
    expect((await api.get('/orders', { 'X-API-Key': WRONG_KEY })).status).toBe(429);
    expect((await second.get('/orders?limit=1')).status).toBe(200);
    expect(await times(50, () => api.anonymous('/health/live'))).toEqual(Array(50).fill(200));
    expect(await times(50, () => api.anonymous('/metrics'))).toEqual(Array(50).fill(200));
  });

  it('answers the probes and the metrics on the management port too, and nothing else there', async () => {
    const management = limited.managementUrl;
    expect(management).not.toBe(limited.baseUrl);
    expect((await fetch(`${management}/health/live`)).status).toBe(200);
    const ready = await fetch(`${management}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, broker: { status: 'up' } },
    });
    expect(await (await fetch(`${management}/metrics`)).text()).toMatch(/^order_service_ready 1$/m);
    expect((await fetch(`${management}/orders`, { headers: { 'X-API-Key': TEST_API_KEY } })).status).toBe(404);
  });

  it('does not limit at all with HTTP_RATE_LIMIT_PER_MINUTE=0', async () => {
    const api = new OrderApi(unlimited.baseUrl);
    expect(await times(3 * LIMIT, () => api.get('/orders?limit=1'))).toEqual(Array(3 * LIMIT).fill(200));
    expect((await api.get('/orders?limit=1')).headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('refuses a request body over 16 KiB with 413 and the error body, reading no further', async () => {
    const response = await fetch(`${unlimited.baseUrl}/orders`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': TEST_API_KEY },
      body: JSON.stringify({ padding: 'x'.repeat(64 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });

  it('closes a slow-loris connection whose headers never end, answering 408', async () => {
    const { heldMs, answer } = await heldFor(unlimited.baseUrl, true);
    expect(heldMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS);
    expect(heldMs).toBeLessThan(CUT_OFF_WITHIN_MS);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes a connection on which nothing is ever sent', async () => {
    const { heldMs } = await heldFor(unlimited.baseUrl, false);
    expect(heldMs).toBeGreaterThanOrEqual(Math.min(HEADERS_TIMEOUT_MS, CONNECTION_TIMEOUT_MS));
    expect(heldMs).toBeLessThan(CUT_OFF_WITHIN_MS);
  });

  it('never writes an API key to its logs or into an answer', async () => {
    const api = new OrderApi(unlimited.baseUrl);
    await api.get('/orders', { Authorization: `Bearer ${SECOND_KEY}` });
    const wrong = await api.get('/orders', { 'X-API-Key': WRONG_KEY });
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.body)).not.toContain(WRONG_KEY);
    for (const service of [limited, unlimited]) {
      for (const key of [TEST_API_KEY, SECOND_KEY, WRONG_KEY]) expect(service.logs).not.toContain(key);
    }
  });

  it('never writes the database password, neither in a configuration error nor while waiting for the database', async () => {
    const misconfigured = await runBuiltCommand('main', [], {
      DATABASE_URL: `mysql://order_service:${DATABASE_PASSWORD}@db.internal/orders`,
    });
    expect(misconfigured.code).toBe(1);
    expect(misconfigured.stderr).toContain('DATABASE_URL must be a postgres:// URL');
    expect(misconfigured.stderr).toContain('order_service:***@db.internal');

    const waiting = await runBuiltCommand(
      'main',
      [],
      serviceEnvironment(`postgres://order_service:${DATABASE_PASSWORD}@127.0.0.1:1/orders`, broker.names),
      { stopOnOutput: 'PostgreSQL not ready' },
    );
    expect(waiting.stdout).toContain('PostgreSQL not ready');
    for (const output of [misconfigured.stdout, misconfigured.stderr, waiting.stdout, waiting.stderr]) {
      expect(output).not.toContain(DATABASE_PASSWORD);
    }
  });
});
