import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Closes, from the broker's side, every connection whose connection_name starts with `prefix`: the
 * same thing `rabbitmqctl close_all_connections` does to a service, without touching the
 * connections of other tests running at the same time.
 */
export async function closeBrokerConnections(prefix: string): Promise<number> {
  const { stdout } = await run('rabbitmqctl', [
    'list_connections',
    '-q',
    '--no-table-headers',
    'pid',
    'client_properties',
  ]);
  const pids = stdout
    .split('\n')
    .filter((line) => line.includes(`{"connection_name","${prefix}`))
    .map((line) => line.split('\t')[0].trim());
  for (const pid of pids) await run('rabbitmqctl', ['close_connection', pid, 'closed by a test']);
  return pids.length;
}

/** Messages in `queue`, ready and unacknowledged alike (a consumer's client sees only the ready ones). */
export async function queueMessages(queue: string): Promise<number> {
  const { stdout } = await run('rabbitmqctl', ['list_queues', '-q', '--no-table-headers', 'name', 'messages']);
  const line = stdout.split('\n').find((row) => row.split('\t')[0] === queue);
  if (!line) throw new Error(`queue ${queue} not found`);
  return Number(line.split('\t')[1]);
}
