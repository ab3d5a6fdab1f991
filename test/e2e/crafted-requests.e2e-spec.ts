import fc from 'fast-check';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anOrderMessage } from '../fixtures/order.mother.js';
import { OrderApi } from '../support/order-api.js';
import { serviceEnvironment, TEST_API_KEY } from '../support/order-service.env.js';
import { ServiceProcess } from '../support/service-process.js';
import { tearDown } from '../support/tear-down.js';
import { eventually, TestBroker } from '../support/test-broker.js';
import { TestDatabase } from '../support/test-database.js';

const RUNS = 250;
const ROUTES = ['/orders', '/orders/stats', '/health/live', '/health/ready', '/metrics', '/docs/json'];
const PARAMETERS = ['status', 'customerId', 'externalId', 'receivedFrom', 'receivedTo', 'limit', 'cursor'];

/** Any byte sequence, each byte percent-encoded: invalid UTF-8, NUL and every control character included. */
const rawBytes = fc.uint8Array({ maxLength: 40 }).map((bytes) => [...bytes].map(percent).join(''));
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }).map(encode),
  fc.string({ unit: 'grapheme-ascii', maxLength: 60 }).map(encode),
  rawBytes,
);
const numberText = fc.oneof(
  fc.double().map(String),
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc.constantFrom('NaN', 'Infinity', '-0', '1e309', '0x1F', '1_000', ' 1', '١٢'),
);
/** Forms of ISO 8601 and near misses of RFC 3339: the dates that once reached SQL as Invalid Date. */
const dateText = fc
  .oneof(
    fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
    fc
      .tuple(
        fc.nat(99_999),
        fc.nat(99),
        fc.nat(99),
        fc.nat(99),
        fc.nat(99),
        fc.nat(99),
        fc.constantFrom('Z', '+25:00', '-00:60', 'z', ''),
      )
      .map(([y, mo, d, h, mi, s, zone]) => `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${zone}`),
    fc.constantFrom(
      '2026-W01',
      '2026-W01-1',
      '2026-325',
      '20261121T100000Z',
      '20261121',
      '2026-11',
      '+002026-11-21',
      '2026-02-30',
    ),
  )
  .map(encode);
/** Base64url of JSON that looks like a cursor, with any content. */
const cursorText = fc
  .tuple(fc.oneof(dateText.map(decodeURIComponent), fc.string(), fc.double()), fc.oneof(fc.uuid(), fc.string()))
  .map((position) => Buffer.from(JSON.stringify(position)).toString('base64url'));
const value = fc.oneof(text, numberText.map(encode), dateText, cursorText);
const parameterName = fc.oneof(fc.constantFrom(...PARAMETERS), text);
/** Parameters missing, present once, or repeated. */
const queryString = fc
  .array(fc.tuple(parameterName, fc.array(value, { minLength: 1, maxLength: 3 })), { maxLength: 6 })
  .map((pairs) => pairs.flatMap(([name, values]) => values.map((each) => `${name}=${each}`)).join('&'));
const path = fc.oneof(
  fc.constantFrom(...ROUTES),
  text.map((segment) => `/orders/${segment}`),
  fc.uuid().map((id) => `/orders/${id}`),
  text.map((segment) => `/health/${segment}`),
);
const headers = fc.record(
  {
    'x-api-key': fc.oneof(
      fc.constant(TEST_API_KEY),
      fc.string({ unit: 'grapheme-ascii', maxLength: 80 }).map(headerSafe),
    ),
    authorization: fc.oneof(
      fc.constant(`Bearer ${TEST_API_KEY}`),
      fc.string({ unit: 'grapheme-ascii', maxLength: 80 }).map((token) => headerSafe(`Bearer ${token}`)),
    ),
    'content-type': fc.constantFrom('application/json', 'text/plain', '*/*'),
  },
  { requiredKeys: [] },
);
const method = fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS');

describe('crafted requests: no input gets a 5xx while the database is up', () => {
  let database: TestDatabase;
  let broker: TestBroker;
  let service: ServiceProcess;
  let port: number;
  let orderIds: string[] = [];

  beforeAll(async () => {
    database = await TestDatabase.create();
    broker = await TestBroker.connect();
    service = await ServiceProcess.start(
      serviceEnvironment(database.url, broker.names, { HTTP_RATE_LIMIT_PER_MINUTE: '0' }),
    );
    port = Number(new URL(service.baseUrl).port);
    const api = new OrderApi(service.baseUrl);
    await broker.publishAll([1, 2, 3].map(() => ({ body: anOrderMessage() })));
    orderIds = await eventually(async () => {
      const page = await api.get<{ data: { orderId: string }[] }>('/orders');
      return page.body.data.length === 3 ? page.body.data.map((order) => order.orderId) : undefined;
    });
  });

  afterAll(() => tearDown({ services: [service], broker, database }));

  const send = (each: {
    method: string;
    path: string;
    query: string;
    headers: Record<string, string>;
    body?: string;
  }) =>
    new Promise<number>((resolve, reject) => {
      const target = each.query === '' ? each.path : `${each.path}?${each.query}`;
      const outgoing = request({ port, host: '127.0.0.1', method: each.method, path: target, headers: each.headers });
      outgoing.on('response', (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      outgoing.on('error', reject);
      outgoing.end(each.body);
    });

  it.each([
    ['a week date', '/orders?receivedFrom=2026-W01'],
    ['a compact date-time', '/orders?receivedTo=20261121T100000Z'],
    ['an ordinal date', '/orders/stats?receivedFrom=2026-325'],
    ['a NUL in customerId', '/orders?customerId=C-%00'],
    ['a control character in a parameter name', '/orders?%07=1'],
    [
      'a cursor holding a week date',
      `/orders?cursor=${Buffer.from(JSON.stringify(['2026-W01', crypto.randomUUID()])).toString('base64url')}`,
    ],
  ])('answers 400 naming the parameter for %s', async (_, target) => {
    const answer = await new OrderApi(service.baseUrl).get<{ message: string }>(target);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(
      /receivedFrom|receivedTo|customerId|cursor|must not contain control characters/,
    );
  });

  it('answers every crafted GET /orders and /orders/stats query below 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/orders', '/orders/stats'), queryString, async (route, query) => {
        const status = await send({ method: 'GET', path: route, query, headers: { 'x-api-key': TEST_API_KEY } });
        expect(status, `${route}?${query}`).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers every crafted status change (body, If-Match, order) below 500', async () => {
    const field = fc.oneof(fc.string({ unit: 'binary', maxLength: 120 }), fc.jsonValue({ maxDepth: 2 }));
    const body = fc.oneof(
      fc.record(
        {
          status: fc.oneof(fc.constantFrom('SHIPPED', 'DELIVERED', 'CANCELLED', 'PAID', 'RECEIVED'), field),
          carrier: field,
          trackingCode: field,
          reason: field,
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue({ maxDepth: 3 }),
    );
    const bodyText = fc.oneof(
      body.map((json) => JSON.stringify(json) ?? ''),
      fc.string({ unit: 'binary' }),
    );
    const ifMatch = fc.option(
      fc.oneof(
        fc.nat(5).map((version) => `"${version}"`),
        fc.string({ unit: 'grapheme-ascii', maxLength: 20 }).map(headerSafe),
      ),
      { nil: undefined },
    );
    const order = fc.oneof(fc.constantFrom(...orderIds), fc.uuid());
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('PUT', 'DELETE'),
        order,
        bodyText,
        ifMatch,
        queryString,
        async (verb, orderId, sent, tag, query) => {
          const headers: Record<string, string> = { 'x-api-key': TEST_API_KEY, 'content-type': 'application/json' };
          if (tag !== undefined) headers['if-match'] = tag;
          const path = verb === 'PUT' ? `/orders/${orderId}/status` : `/orders/${orderId}`;
          const status = await send({
            method: verb,
            path,
            query: verb === 'PUT' ? '' : query,
            headers,
            body: verb === 'PUT' ? sent : undefined,
          });
          expect(status, `${verb} ${path} ${sent} ${JSON.stringify(headers)}`).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('answers every crafted method, path, query and header set below 500', async () => {
    await fc.assert(
      fc.asyncProperty(method, path, queryString, headers, async (verb, route, query, sent) => {
        const status = await send({ method: verb, path: route, query, headers: sent });
        // /health/ready may say 503 about a dependency; here both are up, so it must not.
        expect(status, `${verb} ${route}?${query} ${JSON.stringify(sent)}`).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
    expect((await new OrderApi(service.baseUrl).anonymous('/health/ready')).status).toBe(200);
  });
});

function percent(byte: number): string {
  return `%${byte.toString(16).padStart(2, '0').toUpperCase()}`;
}

/** UTF-8 bytes of the text, every one outside the unreserved set percent-encoded. */
function encode(textValue: string): string {
  return [...Buffer.from(textValue, 'utf8')]
    .map((byte) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : percent(byte)))
    .join('');
}

/** What an HTTP client can put in a header value at all (no CR, LF or NUL). */
function headerSafe(textValue: string): string {
  return textValue.replace(/[\r\n\0]/g, '');
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}
