import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { progress, say, settle, stop, waitForOutput } from './bench-process.js';
import { fromRoot, settings } from './bench-settings.js';
import { type CpuSnapshot, cpuPerOrder, cpuSnapshot } from './cpu-accounting.js';

export interface RestLoad {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  /** What one request cost the endpoint's process, Postgres and the whole machine (autocannon too). */
  readonly cpuMsPerRequest: CpuSnapshot;
}

export interface RestResult {
  readonly service: RestLoad;
  readonly bare: RestLoad;
}

async function load(
  url: string,
  pid: number | undefined,
  ids: readonly string[],
  headers: Record<string, string>,
): Promise<RestLoad> {
  const run = (duration: number) =>
    autocannon({
      url,
      connections: settings.restConnections,
      duration,
      headers,
      requests: [
        {
          method: 'GET',
          setupRequest: (request) => ({ ...request, path: `/orders/${ids[Math.floor(Math.random() * ids.length)]}` }),
        },
      ],
    });
  await run(2); // warm-up: JIT, pools
  const before = cpuSnapshot(pid);
  const result = await run(settings.restSeconds);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    cpuMsPerRequest: cpuPerOrder(before, cpuSnapshot(pid), result.requests.total),
  };
}

/** GET /orders/{id}: the service against a bare node:http + pg endpoint, same ids, same load. */
export async function measureRest(
  serviceUrl: string,
  servicePid: number | undefined,
  apiKey: string,
  databaseUrl: string,
  ids: readonly string[],
): Promise<RestResult> {
  settle();
  progress('REST: loading the service…');
  const service = await load(serviceUrl, servicePid, ids, { 'x-api-key': apiKey });
  const bareProcess = spawn(process.execPath, [fromRoot('dist/apps/bench/src/bare-endpoint.js')], {
    env: { ...process.env, DATABASE_URL: databaseUrl, POOL_SIZE: '10' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const barePort = Number((await waitForOutput(bareProcess, /^(\d+)$/m))[1]);
    progress('REST: loading the bare endpoint…');
    const bare = await load(`http://127.0.0.1:${barePort}`, bareProcess.pid, ids, {});
    say(`REST: service ${service.requestsPerSecond} req/s, bare ${bare.requestsPerSecond} req/s`);
    return { service, bare };
  } finally {
    await stop(bareProcess);
  }
}
