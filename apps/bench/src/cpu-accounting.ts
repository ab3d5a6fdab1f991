import { readdirSync, readFileSync } from 'node:fs';

/** Linux counts process and machine CPU time in ticks of USER_HZ, 100 a second. */
const TICK_MS = 10;

/** CPU time used so far, in ms: by one process, by all of Postgres, by RabbitMQ, by the whole machine. */
export interface CpuSnapshot {
  readonly process: number;
  readonly postgres: number;
  readonly rabbitmq: number;
  readonly machine: number;
}

interface ProcessTimes {
  readonly pid: number;
  readonly parent: number;
  readonly command: string;
  /** utime + stime, in ticks. */
  readonly own: number;
  /** cutime + cstime: what the children it has reaped used, in ticks. */
  readonly reaped: number;
}

function processTimes(pid: number): ProcessTimes | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      pid,
      parent: Number(fields[1]),
      command,
      own: Number(fields[11]) + Number(fields[12]),
      reaped: Number(fields[13]) + Number(fields[14]),
    };
  } catch {
    return null; // it exited meanwhile
  }
}

function allProcesses(): ProcessTimes[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => processTimes(Number(name)) ?? []);
}

/**
 * Postgres forks a backend per connection, and a backend's time moves into its postmaster's reaped
 * time when it exits: the postmaster's own and reaped time plus its live children's is all of it.
 */
function postgresTicks(processes: readonly ProcessTimes[]): number {
  const isPostgres = new Set(processes.filter((p) => p.command === 'postgres').map((p) => p.pid));
  return processes
    .filter((p) => p.command === 'postgres')
    .reduce((sum, p) => sum + p.own + (isPostgres.has(p.parent) ? 0 : p.reaped), 0);
}

function machineTicks(): number {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .map(Number);
  return user + nice + system + irq + softirq + steal;
}

/** Where the machine's CPU went so far; NaN where /proc does not tell (not Linux). */
export function cpuSnapshot(pid: number | undefined): CpuSnapshot {
  try {
    const processes = allProcesses();
    const own = processes.find((p) => p.pid === pid);
    return {
      process: own ? own.own * TICK_MS : Number.NaN,
      postgres: postgresTicks(processes) * TICK_MS,
      rabbitmq: processes.filter((p) => p.command === 'beam.smp').reduce((sum, p) => sum + p.own, 0) * TICK_MS,
      machine: machineTicks() * TICK_MS,
    };
  } catch {
    return { process: Number.NaN, postgres: Number.NaN, rabbitmq: Number.NaN, machine: Number.NaN };
  }
}

/** CPU ms per order between two snapshots. */
export function cpuPerOrder(before: CpuSnapshot, after: CpuSnapshot, orders: number): CpuSnapshot {
  return {
    process: (after.process - before.process) / orders,
    postgres: (after.postgres - before.postgres) / orders,
    rabbitmq: (after.rabbitmq - before.rabbitmq) / orders,
    machine: (after.machine - before.machine) / orders,
  };
}

export function describeCpu(cpu: CpuSnapshot, processName: string): string {
  const ms = (value: number) => (Number.isNaN(value) ? 'n/a' : value.toFixed(3));
  return `${processName} ${ms(cpu.process)}, Postgres ${ms(cpu.postgres)}, RabbitMQ ${ms(cpu.rabbitmq)}, whole machine ${ms(cpu.machine)} ms`;
}
