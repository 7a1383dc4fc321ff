import type { ServerResponse } from 'node:http';
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
