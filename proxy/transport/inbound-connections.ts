import type { Socket } from 'node:net';
import type { Server as TlsServer } from 'node:tls';

/** The first byte of every TLS connection: a handshake record (RFC 8446 5.1). */
const TLS_HANDSHAKE = 0x16;

export interface ConnectionRouting {
  /** Connections served at once, sniffing and handshaking ones included. */
  readonly maxConnections: number;
  /** How long a new connection may take to send its first byte (the headers timeout: a silent client is a slow one). */
  readonly firstByteTimeoutMs: number;
  /** A connection beyond the cap: answered or cut, and not counted. */
  refuse(socket: Socket, firstByte: number): void;
  /** A connection whose first byte is not a TLS handshake: the plaintext path (permissive) or its refusal (mutual). */
  plaintext(socket: Socket): void;
}

export interface RoutedConnections {
  /** Connections accepted and open now. */
  open(): number;
  /** Cuts connections still waiting for their first byte: shutting down, nothing of theirs is in flight. */
  cutSniffing(): void;
  /** Cuts every connection left, handshaking ones included (node:http knows only those it serves). */
  cutAll(): void;
}

/**
 * Puts a first-byte check in front of a tls.Server's own connection
 * listener, the one node:tls registered (as http/connection-limit.ts does
 * for node:http): a connection that opens with a TLS handshake goes on to
 * node:tls unchanged, anything else is plaintext. The byte is read and put
 * back, so whichever layer takes the socket reads the stream from its
 * start. The connection cap lives here too, before either path: both
 * kinds of connection hold a descriptor.
 */
export function routeConnections(server: TlsServer, routing: ConnectionRouting): RoutedConnections {
  const own = server.listeners('connection');
  if (own.length !== 1) throw new Error(`expected tls.Server to have one connection listener, found ${own.length}`);
  const startTls = own[0] as (socket: Socket) => void;
  server.removeListener('connection', startTls);
  const open = new Set<Socket>();
  const sniffing = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sniffing.add(socket);
    sniffFirstByte(socket, routing.firstByteTimeoutMs, (byte) => {
      sniffing.delete(socket);
      if (byte === undefined) return void socket.destroy();
      if (open.size >= routing.maxConnections) return routing.refuse(socket, byte);
      open.add(socket);
      socket.once('close', () => open.delete(socket));
      if (byte === TLS_HANDSHAKE) startTls.call(server, socket);
      else routing.plaintext(socket);
    });
  });
  return {
    open: () => open.size,
    cutSniffing: () => {
      for (const socket of sniffing) socket.destroy();
    },
    cutAll: () => {
      for (const socket of [...sniffing, ...open]) socket.destroy();
    },
  };
}

/**
 * Calls `then` with the socket's first byte, left unread in the socket (and
 * the socket paused), or with undefined when it closes, errs or stays silent
 * for `timeoutMs` first.
 */
function sniffFirstByte(socket: Socket, timeoutMs: number, then: (byte: number | undefined) => void): void {
  const finish = (byte: number | undefined) => {
    clearTimeout(timer);
    socket.removeListener('data', onData);
    socket.removeListener('end', onGone);
    socket.removeListener('close', onGone);
    socket.removeListener('error', onGone);
    then(byte);
  };
  const onData = (chunk: Buffer) => {
    socket.pause();
    socket.unshift(chunk);
    finish(chunk[0]);
  };
  const onGone = () => finish(undefined);
  const timer = setTimeout(onGone, timeoutMs);
  timer.unref();
  socket.on('data', onData);
  socket.once('end', onGone);
  socket.once('close', onGone);
  socket.once('error', onGone);
}
