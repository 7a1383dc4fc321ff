import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { holdsFor, waitFor } from '../../helpers/wait.js';
import { receive, roundTrip, TcpFixture, toxic } from './tcp-fixture.js';

describe('toxics that end connections', () => {
  const f = new TcpFixture();
  after(() => f.close());

  for (const stream of ['upstream', 'downstream'] as const) {
    it(`reset_peer on the ${stream} stream resets both peers: the client sees ECONNRESET`, async () => {
      const up = await f.echo();
      const proxy = await f.proxy(up);
      proxy.setToxics([toxic('reset_peer', { timeout: 0 }, { stream })]);
      const c = await f.dial(proxy);
      c.socket.write('anyone?');
      const { code } = await c.closed;
      assert.equal(code, 'ECONNRESET');
      assert.equal(c.received().length, 0, 'nothing was delivered before the reset');
      const server = up.sockets[0]!;
      await waitFor(() => server.destroyed, 'the upstream socket closed too');
    });
  }

  it('reset_peer with a timeout resets that long after the first byte, and lets the bytes through if removed first', async () => {
    const up = await f.echo();
    const proxy = await f.proxy(up);
    proxy.setToxics([toxic('reset_peer', { timeout: 250 })]);
    const early = await f.dial(proxy);
    const started = performance.now();
    early.socket.write('x');
    const { code, at } = await early.closed;
    assert.equal(code, 'ECONNRESET');
    assert.ok(at - started >= 249, `reset after ${(at - started).toFixed(0)} ms`);

    proxy.setToxics([toxic('reset_peer', { timeout: 60_000 })]);
    const spared = await f.dial(proxy);
    const before = proxy.stats().bytesReceived.downstream;
    spared.socket.write('held');
    await waitFor(() => proxy.stats().bytesReceived.downstream === before + 4, 'the echo reached the toxic');
    proxy.setToxics([]);
    assert.equal((await receive(spared, 4)).toString(), 'held');
    await roundTrip(spared, ' on');
  });

  it('limit_data lets exactly its bytes through in its direction, then closes the connection', async () => {
    const up = await f.upstream((s) => s.once('data', () => s.write(Buffer.alloc(100_000, 3))));
    const proxy = await f.proxy(up);
    proxy.setToxics([toxic('limit_data', { bytes: 12_345 })]);
    const c = await f.dial(proxy);
    c.socket.write('go');
    const { code } = await c.closed;
    assert.equal(code, undefined, 'a close, not a reset');
    assert.equal(c.received().length, 12_345);
    assert.ok(c.ended(), 'the client got the end (FIN) after the last byte');
  });

  it('limit_data on the upstream stream counts what the client sends', async () => {
    let got = 0;
    const up = await f.upstream((s) => s.on('data', (d) => (got += d.length)));
    const proxy = await f.proxy(up);
    proxy.setToxics([toxic('limit_data', { bytes: 10 }, { stream: 'upstream' })]);
    const c = await f.dial(proxy);
    c.socket.write('0123456');
    await waitFor(() => got === 7, 'the upstream got the first 7 bytes');
    c.socket.write('789abc');
    await c.closed;
    await waitFor(() => up.sockets[0]!.readableEnded, 'the upstream got the end (FIN)');
    assert.equal(got, 10);
  });

  it('timeout 0 drops the bytes and holds the connection open until the toxic goes, which closes it', async () => {
    const up = await f.echo();
    const proxy = await f.proxy(up);
    proxy.setToxics([toxic('timeout', { timeout: 0 })]);
    const c = await f.dial(proxy);
    c.socket.write('lost');
    await waitFor(() => proxy.stats().bytesReceived.downstream === 4, 'the echo reached the toxic');
    let closed = false;
    void c.closed.then(() => (closed = true));
    await holdsFor(() => !closed && c.received().length === 0, 300, 'the connection stays open and silent');
    proxy.setToxics([]);
    await c.closed;
    assert.equal(c.received().length, 0, 'the dropped bytes never arrive');
    assert.equal((await roundTrip(await f.dial(proxy), 'fresh')) >= 0, true, 'a new connection works again');
  });

  it('timeout above 0 closes the connection after that many ms without data', async () => {
    const up = await f.echo();
    const proxy = await f.proxy(up);
    proxy.setToxics([toxic('timeout', { timeout: 200 }, { stream: 'upstream' })]);
    const c = await f.dial(proxy);
    const started = performance.now();
    c.socket.write('ping');
    const { code, at } = await c.closed;
    assert.equal(code, undefined);
    assert.equal(c.received().length, 0);
    assert.ok(at - started >= 199 && at - started < 2000, `closed after ${(at - started).toFixed(0)} ms`);
    assert.equal(up.sockets[0]!.bytesRead, 0, 'the upstream never got the bytes');
  });
});
