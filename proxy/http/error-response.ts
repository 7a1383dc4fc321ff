import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ProxyError } from '../errors.js';

/**
 * The one place a typed error becomes an HTTP response: JSON `{code, message}`,
 * its status, and `x-faultmesh-error: CODE` so nobody mistakes a response the
 * proxy made up for one from the service.
 */
export function writeError(res: ServerResponse, error: ProxyError, requestId: string, faultRule?: string): void {
  if (res.headersSent) {
    // Too late for a status: cutting the connection is the only honest signal.
    res.destroy();
    return;
  }
  const reply = error.reply;
  const body = reply ? (reply.body ?? '') : JSON.stringify({ code: error.code, message: error.message });
  const headers: Record<string, string | number> = {
    'content-type': reply ? 'text/plain; charset=utf-8' : 'application/json',
    ...reply?.headers,
    'content-length': Buffer.byteLength(body),
    'x-faultmesh-error': error.code,
    'x-request-id': requestId,
  };
  if (faultRule !== undefined) headers['x-faultmesh-fault'] = faultRule;
  res.writeHead(error.status, headers);
  res.end(body);
}

/**
 * The same answer for a socket with no HTTP exchange to write to (a CONNECT,
 * a request the parser refused, a connection beyond the cap): the whole
 * response, then close. It lingers up to `lingerMs` reading and discarding
 * what the client still sends, because closing with unread input resets the
 * connection and the client may lose the answer; then it is destroyed
 * whatever the client does, so a refused client cannot hold the descriptor.
 */
export function answerAndClose(socket: Socket, error: ProxyError, lingerMs: number): void {
  const body = JSON.stringify({ code: error.code, message: error.message });
  socket.on('error', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `x-faultmesh-error: ${error.code}\r\nconnection: close\r\n\r\n${body}`,
  );
  socket.resume();
  socket.once('end', () => socket.destroy());
  const timer = setTimeout(() => socket.destroy(), lingerMs);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
