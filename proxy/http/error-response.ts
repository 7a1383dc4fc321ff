import type { ServerResponse } from 'node:http';
import type { ProxyError } from '../errors.js';

/**
 * The one place a typed error becomes an HTTP response: JSON `{code, message}`,
 * its status, and `x-faultmesh-error: CODE` so nobody mistakes a response the
 * proxy made up for one from the service.
 */
export function writeError(res: ServerResponse, error: ProxyError, requestId: string): void {
  if (res.headersSent) {
    // Too late for a status: cutting the connection is the only honest signal.
    res.destroy();
    return;
  }
  const body = JSON.stringify({ code: error.code, message: error.message });
  res.writeHead(error.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-faultmesh-error': error.code,
    'x-request-id': requestId,
  });
  res.end(body);
}
