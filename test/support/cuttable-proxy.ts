// A TCP proxy in front of a database that a test can cut and restore, to fault the network path
// without stopping a server other suites share. `cut()` resets every open connection and refuses
// new ones (a crashed or restarted database); `blackhole()` keeps connections open but lets nothing
// through (a partition: the client waits); `restore()` forwards again.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

type Mode = 'forward' | 'cut' | 'blackhole';

export class CuttableProxy {
  private mode: Mode = 'forward';
  private readonly sockets = new Set<Socket>();
  private server?: Server;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async listen(): Promise<number> {
    this.server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as { port: number }).port;
  }

  cut(): void {
    this.mode = 'cut';
    this.dropAll();
  }

  blackhole(): void {
    this.mode = 'blackhole';
  }

  restore(): void {
    this.mode = 'forward';
    // Connections held during a partition are dropped, as a real one's would time out.
    this.dropAll();
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: Socket): void {
    this.track(client);
    if (this.mode === 'cut') return void client.resetAndDestroy();
    if (this.mode === 'blackhole') return;
    const upstream = createConnection(this.targetPort, this.targetHost);
    this.track(upstream);
    // Bytes pass only while forwarding; in a partition they are lost on the way.
    client.on('data', (chunk) => this.mode === 'forward' && upstream.write(chunk));
    upstream.on('data', (chunk) => this.mode === 'forward' && client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
  }

  private dropAll(): void {
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
  }
}
