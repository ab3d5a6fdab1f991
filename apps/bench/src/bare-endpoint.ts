import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

/**
 * The benchmark's yardstick for GET /orders/{id}: the same read of the same row with nothing else
 * (no framework, no validation, no auth). Prints its port on stdout.
 */
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });

const server = createServer((request, response) => {
  const orderId = request.url?.split('/')[2] ?? '';
  pool
    .query<{ document: string }>('SELECT document::text AS document FROM order_views WHERE order_id = $1', [orderId])
    .then(({ rows }) => {
      response.writeHead(rows.length === 1 ? 200 : 404, { 'content-type': 'application/json' });
      response.end(rows[0]?.document ?? '{}');
    })
    .catch(() => {
      response.writeHead(500);
      response.end();
    });
});

server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => server.close(() => void pool.end()));
