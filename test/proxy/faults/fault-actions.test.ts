import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, afterEach, before, describe, it } from 'node:test';
import { faulted, startFaultFixture, type FaultFixture } from '../../helpers/fault-fixture.js';
import { holdsFor } from '../../helpers/wait.js';

describe('fault actions', () => {
  let f: FaultFixture;
  before(async () => (f = await startFaultFixture({ maxHangMs: 60_000 })));
  afterEach(() => f.clearFaults());
  after(() => f.stop());

  it('abort answers with the rule\'s status, body and headers, and the upstream never sees the request', async () => {
    await f.addFault({ id: 'pay-503', target: 'payments', abort: { status: 503, body: 'payments unavailable', headers: { 'retry-after': '1' } } });
    const before = f.received();
    const reply = await f.call();
    assert.equal(reply.status, 503);
    assert.equal(reply.text(), 'payments unavailable');
    assert.equal(reply.headers['retry-after'], '1');
    assert.equal(reply.headers['x-faultmesh-fault'], 'pay-503');
    assert.equal(reply.headers['x-faultmesh-error'], 'FAULT_ABORT');
    assert.equal(f.received(), before);
  });

  it('abort in the response phase forwards first, then replaces the answer', async () => {
    await f.addFault({ id: 'late-500', target: 'payments', phase: 'response', abort: { status: 500 } });
    const before = f.received();
    const reply = await f.call();
    assert.equal(reply.status, 500);
    assert.equal(reply.headers['x-faultmesh-fault'], 'late-500');
    assert.equal(f.received(), before + 1);
  });

  it('reset and delay in the response phase act after the upstream has answered', async () => {
    await f.addFault({ id: 'late-rst', target: 'payments', phase: 'response', reset: true });
    let before = f.received();
    await assert.rejects(f.call(), /socket hang up|ECONNRESET/);
    assert.equal(f.received(), before + 1, 'the upstream saw the request');
    await f.clearFaults();
    await f.addFault({ id: 'late-slow', target: 'payments', phase: 'response', delay: { fixed: '150ms' } });
    before = f.received();
    const started = performance.now();
    const reply = await f.call();
    assert.ok(performance.now() - started >= 140);
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['x-faultmesh-fault'], 'late-slow');
    assert.equal(f.received(), before + 1);
  });

  it('delay holds the request, then forwards it', async () => {
    await f.addFault({ id: 'slow', target: 'payments', delay: { fixed: '200ms' } });
    const started = performance.now();
    const reply = await f.call();
    assert.ok(performance.now() - started >= 190, 'the answer came after the delay');
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['x-faultmesh-fault'], 'slow');
  });

  it('a delay longer than the timeout times out like a slow instance, and is never forwarded', async () => {
    // 1 s against the proxy's 600 ms: a delay that went on after the 504 would forward the request 400 ms later.
    await f.addFault({ id: 'too-slow', target: 'payments', delay: { fixed: '1s' } });
    const before = f.received();
    const reply = await f.call();
    assert.equal(reply.status, 504);
    assert.equal(reply.headers['x-faultmesh-error'], 'UPSTREAM_TIMEOUT');
    await holdsFor(() => f.received() === before, 1000, 'the upstream never sees the timed-out request, not even when its delay has run out');
  });

  it('delay then abort: waits, then answers with the error', async () => {
    await f.addFault({ id: 'slow-503', target: 'payments', delay: { fixed: '100ms' }, abort: { status: 503 } });
    const started = performance.now();
    const reply = await f.call();
    assert.ok(performance.now() - started >= 90);
    assert.equal(reply.status, 503);
  });

  it('reset closes the connection with no response', async () => {
    await f.addFault({ id: 'rst', target: 'payments', reset: true });
    const before = f.received();
    await assert.rejects(f.call(), /socket hang up|ECONNRESET/);
    assert.equal(f.received(), before);
  });

  it('hang never answers, not even when the proxy timeout passes; the client gives up', async () => {
    await f.addFault({ id: 'black-hole', target: 'payments', hang: true });
    const url = new URL(f.proxy.proxyUrl);
    const outcome = await new Promise<string>((resolve) => {
      const req = request({ host: url.hostname, port: url.port, path: '/', headers: { host: 'payments' } }, (res) => resolve(`answered ${res.statusCode}`));
      req.on('error', () => resolve('gave up'));
      setTimeout(() => req.destroy(), 1000); // the client's own timeout, past the proxy's 600 ms
      req.end();
    });
    assert.equal(outcome, 'gave up');
  });

  it('throttle delivers the body at the configured rate', async () => {
    await f.addFault({ id: 'slow-body', target: 'payments', throttle: { bytesPerSecond: 40_000 } });
    const url = new URL(f.proxy.proxyUrl);
    const arrivals: Array<[number, number]> = [];
    const started = performance.now();
    const total = await new Promise<number>((resolve, reject) => {
      request({ host: url.hostname, port: url.port, path: '/?bytes=20000', headers: { host: 'payments' } }, (res) => {
        let n = 0;
        res.on('data', (c: Buffer) => {
          n += c.length;
          arrivals.push([performance.now() - started, n]);
        });
        res.on('end', () => resolve(n));
        res.on('error', reject);
      }).end();
    });
    assert.equal(total, 20_000);
    // Never ahead of the rate (allowing one slice of a tenth of a second), and done no sooner than 20000/40000 s allows.
    for (const [ms, bytes] of arrivals) assert.ok(bytes <= 40_000 * (ms / 1000) + 4_000 + 1, `${bytes} bytes after ${ms.toFixed(0)} ms is faster than 40000 B/s`);
    assert.ok(arrivals.at(-1)![0] >= 400, `finished after ${arrivals.at(-1)![0].toFixed(0)} ms`);
  });

  it('maxActive bounds how many requests are faulted at once', async () => {
    await f.addFault({ id: 'capped', target: 'payments', delay: { fixed: '300ms' }, maxActive: 1 });
    const replies = await Promise.all([f.call(), f.call(), f.call()]);
    assert.equal(replies.filter(faulted).length, 1);
  });

  it('a rule aimed at another service leaves this one alone', async () => {
    await f.addFault({ id: 'inv', target: 'inventory', abort: { status: 503 } });
    const reply = await f.call();
    assert.equal(reply.status, 200);
    assert.equal(faulted(reply), false);
  });
});

describe('hang bound', () => {
  let f: FaultFixture;
  before(async () => (f = await startFaultFixture({ maxHangMs: 200 })));
  after(() => f.stop());

  it('closes a hung request after --max-hang when the client never gives up', async () => {
    await f.addFault({ id: 'bounded-hang', target: 'payments', hang: true });
    const url = new URL(f.proxy.proxyUrl);
    const outcome = await new Promise<string>((resolve) => {
      const req = request({ host: url.hostname, port: url.port, path: '/', headers: { host: 'payments' } }, (res) => resolve(`answered ${res.statusCode}`));
      req.on('error', (err) => resolve(`closed: ${err.message}`));
      setTimeout(() => resolve('still hanging'), 5000).unref();
      req.end();
    });
    assert.match(outcome, /^closed: socket hang up/);
  });
});
