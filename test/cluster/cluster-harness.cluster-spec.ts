import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import amqp from 'amqplib';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { queueInfo } from '../support/rabbitmqctl.js';
import { POSTGRES_PAIR_PORTS } from './support/cluster-ports.js';
import { isRunning } from './support/owned-processes.js';
import { PostgresPair } from './support/postgres-pair.js';
import { RabbitmqCluster } from './support/rabbitmq-cluster.js';

describe('scenario 0: the servers the other scenarios fail over', () => {
  it('three RabbitMQ nodes in one cluster; a queue declared without a type is a quorum queue on all three', async () => {
    const cluster = RabbitmqCluster.attach(inject('rabbitmqCluster'));
    expect(await cluster.isWhole()).toBe(true);

    const queue = `test.${randomBytes(5).toString('hex')}.plain`;
    const connection = await amqp.connect(cluster.url(cluster.nodes[1]));
    try {
      const channel = await connection.createChannel();
      await channel.assertQueue(queue, { durable: true });
      expect(await queueInfo(queue, 'type', cluster.target())).toBe('quorum');
      const members = await queueInfo(queue, 'members', cluster.target());
      for (const node of cluster.nodes) expect(members).toContain(node.name);
      await channel.deleteQueue(queue);
    } finally {
      await connection.close();
    }
  });

  it('a Postgres primary whose commits wait for its standby; stopped, it leaves no process or file', async () => {
    const pair = await PostgresPair.start(POSTGRES_PAIR_PORTS);
    const pids = pair.pids;
    try {
      expect(await pair.standbyIsSynchronous()).toBe(true);
      const primary = new pg.Client({ connectionString: PostgresPair.url(pair.primary, 'postgres') });
      await primary.connect();
      await primary.query('CREATE TABLE committed (id int)');
      await primary.query('INSERT INTO committed VALUES (1)');
      const [{ lsn }] = (await primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows;
      const [{ flushed }] = (
        await primary.query<{ flushed: boolean }>(
          'SELECT flush_lsn >= $1::pg_lsn AS flushed FROM pg_stat_replication WHERE sync_state = $2',
          [lsn, 'sync'],
        )
      ).rows;
      await primary.end();
      // The commit returned once the standby had flushed it (synchronous_commit = on, remote flush).
      expect(flushed).toBe(true);
    } finally {
      pair.stop();
    }
    expect(pids.some(isRunning)).toBe(false);
    expect(existsSync(dirname(pair.primary.dataDirectory))).toBe(false);
  });
});
