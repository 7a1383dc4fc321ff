import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  text(): string;
  json<T = Record<string, unknown>>(): T;
}

export interface SendOptions {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string | string[]>;
  readonly body?: string | Buffer | Readable;
  readonly agent?: Agent | false;
}

/**
 * One HTTP request to a loopback server, body read whole. Node's http client
 * rather than fetch, because tests set Host and other headers fetch forbids.
 */
export function send(base: string, options: SendOptions = {}): Promise<Reply> {
  const url = new URL(base);
  const body = options.body;
  // Node's client frames a DELETE body only when told its length.
  const length = typeof body === 'string' || Buffer.isBuffer(body) ? { 'content-length': String(Buffer.byteLength(body)) } : {};
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port, method: options.method ?? 'GET', path: options.path ?? '/', headers: { ...length, ...options.headers }, agent: options.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: () => body.toString(), json: () => JSON.parse(body.toString()) });
        });
      },
    );
    req.on('error', reject);
    if (body === undefined) req.end();
    else if (typeof body === 'string' || Buffer.isBuffer(body)) req.end(body);
    else body.pipe(req);
  });
}
