import { execFileSync } from 'node:child_process';

/** The uid and gid of a system account (`rabbitmq`, `postgres`): the servers refuse to run as root. */
export function systemUser(name: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}
