import type { IncomingMessage } from 'node:http';

export interface RequestTarget {
  /** Destination service name, lower-cased; '' when the request names none. */
  readonly service: string;
  /** Path and query to forward. */
  readonly url: string;
  /** Path without the query, for routing and logs. */
  readonly path: string;
}

/**
 * Finds the destination of a request: the Host header (port ignored), or the
 * authority of an absolute-form URL (`GET http://payments/api`), which is
 * what `curl -x` and HTTP_PROXY clients send. Absolute form wins, as RFC 9112
 * requires; the Host header is then rewritten to match.
 */
export function parseRequestTarget(req: IncomingMessage): RequestTarget {
  let url = req.url ?? '/';
  let host: string;
  if (url.charCodeAt(0) === 47 /* / */) {
    host = req.headers.host ?? '';
  } else {
    const m = /^http:\/\/([^/?#]*)(.*)$/i.exec(url);
    if (!m) return { service: '', url, path: url };
    host = m[1]!;
    url = m[2] || '/';
    if (url.charCodeAt(0) !== 47) url = `/${url}`;
    req.headers.host = host;
  }
  const q = url.indexOf('?');
  return { service: hostToService(host), url, path: q === -1 ? url : url.slice(0, q) };
}

function hostToService(host: string): string {
  const at = host.lastIndexOf('@');
  if (at !== -1) host = host.slice(at + 1);
  if (host.charCodeAt(0) === 91 /* [ */) return host.slice(0, host.indexOf(']') + 1).toLowerCase();
  const colon = host.indexOf(':');
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
}
