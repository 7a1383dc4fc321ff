import { connect, type Socket } from 'node:net';

/** A raw TCP client that keeps whatever the server sends, for clients no HTTP library would be. */
export interface RawClient {
  readonly socket: Socket;
  /** Everything received so far. */
  received(): string;
  /** Resolves when the server has closed the connection (or it failed), with all that was received. */
  readonly closed: Promise<string>;
}

/** Opens a connection to a loopback port; resolves once it is connected. */
export function rawClient(port: number, host = '127.0.0.1'): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (text += d));
    const closed = new Promise<string>((done) => socket.once('close', () => done(text)));
    // A reset after the server's answer is fine: the answer is kept.
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, received: () => text, closed }));
    socket.once('error', reject);
  });
}

/** Sends a whole request on a fresh connection and returns what came back once the server closed it. */
export async function rawExchange(port: number, request: string | Buffer): Promise<string> {
  const client = await rawClient(port);
  client.socket.write(request);
  return client.closed;
}

