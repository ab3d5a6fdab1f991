import amqp from 'amqplib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RabbitmqNodes, rabbitmqNodeUrls } from './rabbitmq-nodes.js';

vi.mock('amqplib', () => ({ default: { connect: vi.fn() } }));

const connect = vi.mocked(amqp.connect);
const NODES = 'amqp://svc:pw@rabbit-0:5672,amqp://svc:pw@rabbit-1:5672,amqp://svc:pw@rabbit-2:5672';

/** Nodes that refuse connections: the rest answer with a stand-in connection naming their URL. */
function clusterWithout(...down: string[]): void {
  connect.mockImplementation((url) => {
    const host = new URL(url as string).host;
    return down.includes(host)
      ? Promise.reject(new Error(`connect ECONNREFUSED ${host}`))
      : Promise.resolve({ host } as never);
  });
}

describe('RabbitmqNodes', () => {
  afterEach(() => connect.mockReset());

  it('splits a comma-separated RABBITMQ_URL, trimming blanks and skipping empty entries', () => {
    expect(rabbitmqNodeUrls(' amqp://a:5672 , amqp://b:5672,')).toEqual(['amqp://a:5672', 'amqp://b:5672']);
    expect(rabbitmqNodeUrls('amqp://guest:guest@127.0.0.1:5672')).toEqual(['amqp://guest:guest@127.0.0.1:5672']);
  });

  it('connects first to the first node that answers', async () => {
    clusterWithout('rabbit-0:5672');
    const { url } = await new RabbitmqNodes(NODES).connect();
    expect(url).toBe('amqp://svc:pw@rabbit-1:5672');
  });

  it('moves on to another node for the next connection, wrapping around the list', async () => {
    clusterWithout();
    const nodes = new RabbitmqNodes(NODES);
    const hosts = [];
    for (let i = 0; i < 4; i++) hosts.push(new URL((await nodes.connect()).url).host);
    expect(hosts).toEqual(['rabbit-0:5672', 'rabbit-1:5672', 'rabbit-2:5672', 'rabbit-0:5672']);
  });

  it('fails naming every node and its error, without the credentials, when none answers', async () => {
    clusterWithout('rabbit-0:5672', 'rabbit-1:5672', 'rabbit-2:5672');
    const attempt = new RabbitmqNodes(NODES).connect();
    await expect(attempt).rejects.toThrow(/rabbit-0:5672: .*ECONNREFUSED.*; rabbit-1:5672: .*; rabbit-2:5672: /);
    await expect(new RabbitmqNodes(NODES).connect()).rejects.not.toThrow(/pw/);
  });

  it('passes the socket options and lets the caller add parameters to each URL', async () => {
    clusterWithout();
    await new RabbitmqNodes('amqp://rabbit-0:5672').connect({ noDelay: true }, (url) => `${url}?heartbeat=10`);
    expect(connect).toHaveBeenCalledWith('amqp://rabbit-0:5672?heartbeat=10', { noDelay: true });
  });
});
