import net from 'node:net';

/**
 * Fails at once, naming the ports, when a server already listens on one of them (a run killed
 * before it could stop its own servers), instead of a node that never comes up.
 */
export async function assertPortsFree(ports: readonly number[]): Promise<void> {
  const taken = (await Promise.all(ports.map(async (port) => ((await answers(port)) ? port : undefined)))).filter(
    (port) => port !== undefined,
  );
  if (taken.length > 0) {
    throw new Error(
      `ports ${taken.join(', ')} are in use: servers left by an earlier run? README, Troubleshooting: the cluster suite`,
    );
  }
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
