import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { DEFAULT_LISTENER_LIMITS, type ListenerLimits } from '../../../proxy/http/proxy-server.js';
import { send } from '../../helpers/http-client.js';
import { startMeshFixture, type MeshFixture } from '../../helpers/mesh-fixture.js';
import { rawClient, type RawClient } from '../../helpers/raw-socket.js';
import { waitFor } from '../../helpers/wait.js';

const portOf = (url: string) => Number(new URL(url).port);

describe('data-plane limits against hostile clients', () => {
  const fixtures: MeshFixture[] = [];
  const clients: RawClient[] = [];
  after(async () => {
    for (const c of clients) c.socket.destroy();
    for (const f of fixtures) await f.stop();
  });
  const start = async (limits: Partial<ListenerLimits>) => {
    const f = await startMeshFixture([{ service: 'payments', id: 'pay-1' }], { proxy: { listenerLimits: { ...DEFAULT_LISTENER_LIMITS, ...limits } } });
    fixtures.push(f);
    return f;
  };
  /** What each client received, once the proxy has closed all of them (bounded: a client left open fails the test). */
  const closedAll = async (some: readonly RawClient[], what: string): Promise<string[]> => {
    await waitFor(() => some.every((c) => c.socket.destroyed), what);
    return some.map((c) => c.received());
  };
  const open = async (port: number, n: number): Promise<RawClient[]> => {
    const opened: RawClient[] = [];
    for (let i = 0; i < n; i++) opened.push(await rawClient(port));
    clients.push(...opened);
    return opened;
  };

  it('answers 503 TOO_MANY_CONNECTIONS beyond the connection cap and closes, while the admin API still answers', async () => {
    const f = await start({ maxConnections: 20, headersTimeoutMs: 60_000, requestTimeoutMs: 120_000 });
    const port = portOf(f.proxy.proxyUrl);
    const idle = await open(port, 20);
    const beyond = await open(port, 200);
    for (const text of await closedAll(beyond, 'the proxy closes the 200 clients beyond its cap')) {
      assert.match(text, /^HTTP\/1\.1 503 Service Unavailable\r\n/);
      assert.match(text, /\r\nconnection: close\r\n/);
      assert.match(text, /\r\nx-faultmesh-error: TOO_MANY_CONNECTIONS\r\n/);
      assert.match(text, /"code":"TOO_MANY_CONNECTIONS".*limit of 20 client connections/);
    }
    assert.equal((await send(f.proxy.adminUrl, { path: '/healthz' })).status, 200);
    const refused = await send(f.proxy.proxyUrl, { headers: { host: 'payments' } });
    assert.equal(refused.status, 503);
    assert.equal(refused.headers['x-faultmesh-error'], 'TOO_MANY_CONNECTIONS');
    // The idle ones were held, not answered; once they leave, clients are served again.
    assert.ok(idle.every((c) => !c.socket.destroyed && c.received() === ''));
    for (const c of idle) c.socket.destroy();
    await waitFor(async () => (await send(f.proxy.proxyUrl, { headers: { host: 'payments' } })).status === 200, 'the proxy serves again');
  });

  it('answers 408 and closes connections that send nothing within the headers timeout', async () => {
    const f = await start({ headersTimeoutMs: 300 });
    const idle = await open(portOf(f.proxy.proxyUrl), 50);
    for (const text of await closedAll(idle, 'the proxy closes the 50 silent clients')) {
      assert.match(text, /^HTTP\/1\.1 408 Request Timeout\r\n/);
      assert.match(text, /x-faultmesh-error: REQUEST_TIMEOUT/);
    }
  });

  it('cuts slowloris clients that trickle their headers a byte at a time, before they finish', async () => {
    const f = await start({ headersTimeoutMs: 500 });
    // 2 000 bytes at one every 50 ms would take 100 s to arrive whole.
    const header = `GET / HTTP/1.1\r\nHost: payments\r\nx-pad: ${'a'.repeat(2000)}\r\n\r\n`;
    const slow = await open(portOf(f.proxy.proxyUrl), 30);
    const sent = slow.map(() => 0);
    const timer = setInterval(() => {
      slow.forEach((c, i) => {
        if (!c.socket.destroyed && c.received() === '' && sent[i]! < header.length) c.socket.write(header[sent[i]!++]!);
      });
    }, 50);
    try {
      for (const text of await closedAll(slow, 'the proxy cuts the 30 slow clients')) assert.match(text, /^HTTP\/1\.1 408 /);
    } finally {
      clearInterval(timer);
    }
    assert.ok(sent.every((n) => n < header.length), `every client was cut before its headers were complete: ${sent.join(',')}`);
  });

  it('closes a keep-alive connection left idle after the idle timeout', async () => {
    const f = await start({ idleTimeoutMs: 200 });
    const [client] = await open(portOf(f.proxy.proxyUrl), 1);
    client!.socket.write('GET / HTTP/1.1\r\nHost: payments\r\n\r\n');
    await waitFor(() => client!.received().includes('"instance":"pay-1"'), 'the request is answered');
    assert.match(client!.received(), /^HTTP\/1\.1 200 /);
    assert.doesNotMatch(client!.received(), /connection: close/i);
    // Node's default would keep it 60 s; the test waits far less than that.
    await waitFor(() => client!.socket.destroyed, 'the idle connection is closed', 20_000);
  });
});
