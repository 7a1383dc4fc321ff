import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP forwarder put between one process and a server, so a test
 * can take the server out of that process's reach alone. `cut()` is what a
 * lost route looks like to the client: every open connection is destroyed
 * (so gRPC sees its channel break now, not at a keepalive minutes later) and
 * new ones are refused, the port not listening. `restore()` listens again
 * on the same port. `stall()` is the quieter failure: the open connections
 * stay open but carry nothing more (a host gone without a reset, a firewall
 * dropping an old flow), while new connections go through.
 */
export interface TcpForwarder {
  /** 127.0.0.1:PORT, to give the client instead of the target. */
  readonly endpoint: string;
  readonly port: number;
  /** Connections forwarded since start, for failure messages. */
  readonly accepted: () => number;
  cut(): Promise<void>;
  /** Open connections go silent (kept open, nothing forwarded); new ones are forwarded. */
  stall(): void;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpForwarder(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpForwarder> {
  const open = new Set<Socket>();
  const pairs = new Set<readonly [Socket, Socket]>();
  let accepted = 0;
  const track = (s: Socket) => {
    open.add(s);
    s.once('close', () => open.delete(s));
  };
  const newServer = (): Server =>
    createServer((client) => {
      accepted++;
      const upstream = connect(targetPort, targetHost);
      track(client);
      track(upstream);
      // Either side's end or error ends both: a half-open pair would look alive to the client.
      const both = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', both).on('close', both);
      upstream.on('error', both).on('close', both);
      client.pipe(upstream);
      upstream.pipe(client);
      const pair = [client, upstream] as const;
      pairs.add(pair);
      client.once('close', () => pairs.delete(pair));
    });
  let server = newServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as import('node:net').AddressInfo).port;
  let listening = true;

  const stop = async () => {
    if (!listening) return;
    listening = false;
    const closed = new Promise((resolve) => server.close(resolve));
    for (const s of open) s.destroy();
    await closed;
  };
  return {
    endpoint: `127.0.0.1:${port}`,
    port,
    accepted: () => accepted,
    cut: stop,
    stall() {
      // Unpiped and paused, what arrives stays in the kernel's buffers: the sender gets no answer and no reset.
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream).pause();
        upstream.unpipe(client).pause();
      }
      pairs.clear();
    },
    async restore() {
      if (listening) return;
      server = newServer();
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
      listening = true;
    },
    close: stop,
  };
}
