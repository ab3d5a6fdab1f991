import net from 'node:net';

/** One client's connection through the proxy, and the proxy's own connection to the server. */
interface Link {
  readonly client: net.Socket;
  readonly upstream: net.Socket;
}

/**
 * A TCP hop between the service and a real dependency, so a test can cut the connection the way
 * a network partition or a restarting server does, stall it, and then restore it.
 */
export class TcpProxy {
  private server: net.Server | null = null;
  private readonly links = new Set<Link>();

  private constructor(
    private targetPort: number,
    private listenPort: number,
  ) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort, 0);
    await proxy.open();
    return proxy;
  }

  get port(): number {
    return this.listenPort;
  }

  /** `url` (of the proxied server on 127.0.0.1) rewritten to go through this proxy. */
  route(url: string): string {
    return url.replace(`127.0.0.1:${this.targetPort}`, `127.0.0.1:${this.listenPort}`);
  }

  /**
   * Sends new connections to another server from now on (the endpoint in front of a database
   * moving to its promoted standby); the open ones stay where they are until cut.
   */
  switchTo(targetPort: number): void {
    this.targetPort = targetPort;
  }

  /** Accepts connections again, on the same port. */
  async open(): Promise<void> {
    const server = net.createServer((client) => {
      // Accepted while `cut` was closing the server: refused like the ones after it.
      if (this.server !== server) {
        client.destroy();
        return;
      }
      const link = { client, upstream: net.connect(this.targetPort, '127.0.0.1') };
      this.links.add(link);
      for (const socket of [link.client, link.upstream]) socket.on('error', () => socket.destroy());
      link.client.on('close', () => link.upstream.destroy());
      link.upstream.on('close', () => {
        link.client.destroy();
        this.links.delete(link);
      });
      link.client.pipe(link.upstream).pipe(link.client);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.listenPort, '127.0.0.1', resolve));
    this.listenPort = (server.address() as net.AddressInfo).port;
  }

  /**
   * Stops passing on what the clients send, and keeps their connections open: to the server each
   * client froze right after its last bytes that got through (an ack, a commit), while the
   * server's bytes still reach the client.
   */
  stallClients(): void {
    for (const { client, upstream } of this.links) {
      client.unpipe(upstream);
      client.pause();
    }
  }

  /** Drops every open connection and refuses new ones, until `open`. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const { client, upstream } of this.links) {
      client.destroy();
      upstream.destroy();
    }
    this.links.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
