import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Which broker a command talks to: the system node (`rabbitmqctl`'s default) unless told otherwise. */
export interface BrokerTarget {
  /** An Erlang node name, e.g. `c1@localhost`. */
  readonly node?: string;
  readonly vhost?: string;
}

export const SYSTEM_BROKER: BrokerTarget = {};

/** `rabbitmqctl` against `target`; its standard output. */
export async function rabbitmqctl(args: readonly string[], target: BrokerTarget = SYSTEM_BROKER): Promise<string> {
  const node = target.node ? ['-n', target.node] : [];
  const { stdout } = await run('rabbitmqctl', [...node, ...args]);
  return stdout;
}

/** `list_queues` of `target`'s vhost: one array of the requested columns per queue. */
async function listQueues(columns: readonly string[], target: BrokerTarget): Promise<string[][]> {
  const vhost = target.vhost ? ['-p', target.vhost] : [];
  const stdout = await rabbitmqctl(['list_queues', ...vhost, '-q', '--no-table-headers', ...columns], target);
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t').map((cell) => cell.trim()));
}

/** One column of `queue`'s row in `list_queues`. */
export async function queueInfo(queue: string, column: string, target: BrokerTarget = SYSTEM_BROKER): Promise<string> {
  const row = (await listQueues(['name', column], target)).find(([name]) => name === queue);
  if (!row) throw new Error(`queue ${queue} not found`);
  return row[1];
}

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

/**
 * Messages in `queue` now, ready and unacknowledged alike (a consumer's client sees only the ready
 * ones). A quorum queue refreshes what `list_queues` reports of it only every few seconds (seen
 * here: 0 for four seconds after ten confirmed publishes), so its count comes from its leader's
 * state; a classic queue, or a quorum queue without a leader to ask, is read from `list_queues`.
 */
export async function queueMessages(queue: string, target: BrokerTarget = SYSTEM_BROKER): Promise<number> {
  const resource = `rabbit_misc:r(<<"${target.vhost ?? '/'}">>, queue, <<"${queue}">>)`;
  const held = (
    await rabbitmqctl(
      [
        'eval',
        `case rabbit_amqqueue:lookup(${resource}) of
           {ok, Q} ->
             case amqqueue:get_type(Q) =:= rabbit_quorum_queue andalso
                    ra:leader_query(amqqueue:get_pid(Q), fun rabbit_fifo:overview/1) of
               {ok, {_, #{num_messages := N}}, _} -> N;
               _ -> listed
             end;
           _ -> missing
         end.`,
      ],
      target,
    )
  ).trim();
  if (held === 'missing') throw new Error(`queue ${queue} not found`);
  return Number(held === 'listed' ? await queueInfo(queue, 'messages', target) : held);
}

/** The type of `queue` as the broker reports it: `quorum` or `classic`. */
export async function queueType(queue: string, target: BrokerTarget = SYSTEM_BROKER): Promise<string> {
  return queueInfo(queue, 'type', target);
}

/**
 * Runs `scenario` while the broker's memory alarm is raised (a watermark far below what it uses),
 * so that it blocks every publishing connection, and restores the watermark it found, exactly,
 * however the scenario ends. The broker is shared: keep the scenario to a few seconds.
 */
export async function withMemoryAlarm<T>(scenario: () => Promise<T>): Promise<T> {
  const { stdout } = await run('rabbitmqctl', ['eval', 'vm_memory_monitor:get_vm_memory_high_watermark().']);
  const current = stdout.trim();
  const restore = /^\{absolute,\s*(\d+)\}$/.exec(current);
  if (!restore && !/^\d+(\.\d+)?$/.test(current)) throw new Error(`unexpected watermark ${current}`);
  await run('rabbitmqctl', ['set_vm_memory_high_watermark', '0.0000001']);
  try {
    return await scenario();
  } finally {
    await run(
      'rabbitmqctl',
      restore ? ['set_vm_memory_high_watermark', 'absolute', restore[1]] : ['set_vm_memory_high_watermark', current],
    );
  }
}
