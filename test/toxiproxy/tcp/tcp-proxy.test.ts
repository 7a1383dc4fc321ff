import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { TcpProxy, TcpProxyError } from '../../../toxiproxy/tcp/index.js';
import { waitFor } from '../../helpers/wait.js';
import { receive, roundTrip, TcpFixture } from './tcp-fixture.js';

describe('a TCP proxy without toxics', () => {
  const f = new TcpFixture();
  after(() => f.close());

  it('forwards bytes both ways and counts them per stream', async () => {
    const up = await f.echo();
    const proxy = await f.proxy(up);
    assert.match(proxy.listenAddress, /^127\.0\.0\.1:\d+$/);
    assert.notEqual(proxy.listenAddress, '127.0.0.1:0');
    const c = await f.dial(proxy);
    await roundTrip(c, 'hello');
    await roundTrip(c, ' world');
    assert.equal(c.received().toString(), 'hello world');
    const s = proxy.stats();
    assert.deepEqual(s.bytes, { upstream: 11, downstream: 11 });
    assert.deepEqual(s.bytesReceived, { upstream: 11, downstream: 11 });
    assert.equal(s.connectionsTotal, 1);
    assert.equal(s.connectionsActive, 1);
  });

  it('passes a half-close through: the client ends, the upstream still answers, then both close', async () => {
    // The upstream answers only once the request is complete (its end), as an HTTP/1.0 server or `nc -q` would.
    const up = await f.upstream((s) => {
      let request = '';
      s.on('data', (d) => (request += d));
      s.on('end', () => s.end(`got ${request}`));
    });
    const proxy = await f.proxy(up);
    const c = await f.dial(proxy);
    c.socket.end('question');
    const closed = await c.closed;
    assert.equal(closed.code, undefined);
    assert.equal(c.received().toString(), 'got question');
    assert.ok(c.ended(), 'the client saw the upstream end (FIN), not a reset');
    await waitFor(() => proxy.stats().connectionsActive === 0, 'the proxy forgot the connection');
  });

  it('closes a client whose upstream refuses, and counts the failure', async () => {
    // Port 1 (tcpmux) has no listener on a test machine: the connect is refused at once.
    const proxy = await f.proxy('127.0.0.1:1');
    const c = await f.dial(proxy);
    await c.closed;
    assert.equal(c.received().length, 0);
    await waitFor(() => proxy.stats().connectFailures === 1, 'the failure was counted');
  });

  it('sends new connections to a changed upstream while an open one stays where it was', async () => {
    const a = await f.upstream((s) => s.on('data', () => s.write('A')));
    const b = await f.upstream((s) => s.on('data', () => s.write('B')));
    const proxy = await f.proxy(a);
    const first = await f.dial(proxy);
    first.socket.write('?');
    await receive(first, 1);
    proxy.setUpstream(b.address);
    assert.equal(proxy.upstream, b.address);
    const second = await f.dial(proxy);
    second.socket.write('?');
    first.socket.write('?');
    await receive(second, 1);
    await receive(first, 2);
    assert.equal(first.received().toString(), 'AA');
    assert.equal(second.received().toString(), 'B');
  });

  it('stop() closes the listener and every open connection; start() binds the same port again', async () => {
    const up = await f.echo();
    const proxy = await f.proxy(up);
    const address = proxy.listenAddress;
    const clients = await Promise.all([f.dial(proxy), f.dial(proxy), f.dial(proxy)]);
    for (const c of clients) await roundTrip(c, 'x');
    await proxy.stop();
    assert.equal(proxy.running, false);
    await Promise.all(clients.map((c) => c.closed));
    assert.equal(proxy.stats().connectionsActive, 0);
    await assert.rejects(f.dial(proxy), /ECONNREFUSED/);
    await proxy.start();
    assert.equal(proxy.listenAddress, address);
    assert.ok((await roundTrip(await f.dial(proxy), 'again')) >= 0);
  });

  it('refuses to start on an address in use, naming the proxy and the address', async () => {
    const up = await f.echo();
    const taken = await f.proxy(up);
    const second = new TcpProxy({ name: 'redis', listen: taken.listenAddress, upstream: up.address });
    await assert.rejects(second.start(), (err: unknown) => {
      assert.ok(err instanceof TcpProxyError);
      assert.equal(err.code, 'LISTEN_FAILED');
      assert.equal(err.errno, 'EADDRINUSE');
      assert.equal(err.message, `proxy redis cannot listen on ${taken.listenAddress}: the address is already in use`);
      return true;
    });
    assert.equal(second.running, false);
  });

  const addresses: readonly [string, 'listen' | 'upstream', RegExp][] = [
    ['6379', 'upstream', /upstream address "6379" is not host:port/],
    ['redis:99999', 'upstream', /port from 1 to 65535/],
    [':6379', 'upstream', /upstream address ":6379" names no host/],
    ['127.0.0.1:0', 'upstream', /port from 1 to 65535/],
    ['::1:80', 'listen', /IPv6 in brackets/],
  ];
  for (const [text, role, message] of addresses) {
    it(`refuses ${role} "${text}" with a message saying what is expected`, () => {
      const build = () => new TcpProxy({ name: 't', listen: role === 'listen' ? text : '127.0.0.1:0', upstream: role === 'upstream' ? text : '127.0.0.1:1' });
      assert.throws(build, (err: unknown) => err instanceof TcpProxyError && err.code === 'ADDRESS_INVALID' && message.test(err.message));
    });
  }

  it('listens on 127.0.0.1 for "localhost" and for no host, and shows IPv6 in brackets', () => {
    assert.equal(new TcpProxy({ name: 't', listen: 'localhost:0', upstream: 'localhost:1' }).listenAddress, '127.0.0.1:0');
    assert.equal(new TcpProxy({ name: 't', listen: ':8080', upstream: 'localhost:1' }).listenAddress, '127.0.0.1:8080');
    assert.equal(new TcpProxy({ name: 't', listen: '[::1]:8080', upstream: '[::1]:1' }).upstream, '[::1]:1');
  });
});
