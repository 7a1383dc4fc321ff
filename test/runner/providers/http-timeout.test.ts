import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { providerSchema, type ProviderOf } from '../../../runner/experiment/provider-schema.js';
import { HttpTimeoutError, runHttp } from '../../../runner/providers/http.js';

const parse = (raw: Record<string, unknown>) => providerSchema.parse({ type: 'http', ...raw }) as ProviderOf<'http'>;
const signal = new AbortController().signal;

/** How long a call took to fail, and its error. */
async function failure(p: ProviderOf<'http'>): Promise<{ ms: number; err: Error }> {
  const started = performance.now();
  try {
    await runHttp(p, { signal });
  } catch (err) {
    return { ms: performance.now() - started, err: err as Error };
  }
  assert.fail('the call succeeded');
}

const listen = (server: Server | TcpServer) => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as { port: number }).port}`)));

describe('an http provider\'s timeout, on faultmesh\'s own timers', () => {
  const sockets = new Set<Socket>();
  // /slow answers after 1.5 s; /stall sends headers and one chunk, then nothing; /trickle sends a chunk every 100 ms, 6 in all.
  const app = createServer((req, res) => {
    if (req.url === '/slow') return void setTimeout(() => res.end('late'), 1500).unref();
    res.writeHead(200, { 'content-type': 'text/plain' });
    if (req.url === '/stall') return void res.write('first');
    let n = 0;
    const tick = setInterval(() => {
      res.write(`${n}`);
      if (++n === 6) {
        clearInterval(tick);
        res.end();
      }
    }, 100);
    res.on('close', () => clearInterval(tick));
  });
  // Accepts connections and says nothing: a TLS handshake to it never ends.
  const silent = createTcpServer((socket) => sockets.add(socket));
  let appAt = '';
  let silentAt = '';
  before(async () => {
    app.on('connection', (socket) => sockets.add(socket));
    appAt = await listen(app);
    silentAt = await listen(silent);
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all([new Promise((resolve) => app.close(resolve)), new Promise((resolve) => silent.close(resolve))]);
  });

  it('fails a 0.2 s timeout at about 0.2 s, not undici\'s 1 s, in its own words', async () => {
    const { ms, err } = await failure(parse({ url: `http://${appAt}/slow`, timeout: 0.2 }));
    assert.ok(err instanceof HttpTimeoutError, String(err));
    assert.equal(err.message, `GET http://${appAt}/slow timed out after 0.2s (waiting for the response headers)`);
    assert.ok(ms >= 190 && ms < 900, `failed after ${ms.toFixed(0)} ms`);
  });

  it('fails a 1 s timeout at about 1 s against a 1.5 s answer', async () => {
    const { ms, err } = await failure(parse({ url: `http://${appAt}/slow`, timeout: 1 }));
    assert.match(err.message, /timed out after 1s \(waiting for the response headers\)$/);
    assert.ok(ms >= 990 && ms < 1400, `failed after ${ms.toFixed(0)} ms`);
  });

  it('bounds each wait between body chunks by the read limit, and says so', async () => {
    const { ms, err } = await failure(parse({ url: `http://${appAt}/stall`, timeout: [5, 0.3] }));
    assert.equal(err.message, `GET http://${appAt}/stall timed out after 0.3s (reading the body)`);
    assert.ok(ms < 1000, `failed after ${ms.toFixed(0)} ms`);
  });

  it('lets a body that keeps coming through the read limit, while one timeout bounds the whole call', async () => {
    const out = await runHttp(parse({ url: `http://${appAt}/trickle`, timeout: [5, 0.3] }), { signal });
    assert.equal(out.body, '012345');
    const { err } = await failure(parse({ url: `http://${appAt}/trickle`, timeout: 0.3 }));
    assert.equal(err.message, `GET http://${appAt}/trickle timed out after 0.3s (reading the body)`);
  });

  it('bounds the connection (its TLS handshake included) by the connect limit', async () => {
    const { ms, err } = await failure(parse({ url: `https://${silentAt}/`, timeout: [0.2, 5] }));
    assert.equal(err.message, `GET https://${silentAt}/ timed out after 0.2s (connecting)`);
    assert.ok(ms < 900, `failed after ${ms.toFixed(0)} ms`);
  });
});
