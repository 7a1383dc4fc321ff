import assert from 'node:assert/strict';
import { Agent } from 'node:https';
import { connect } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import type { IssuedIdentity } from '../../../control/ca/authority.js';
import { rawClient } from '../../helpers/raw-socket.js';
import { waitFor } from '../../helpers/wait.js';
import { checkServerIdentityFor } from '../../../proxy/identity/peer.js';
import { identityOf, startInbound, TD, twoCas, type InboundFixture } from './inbound-fixture.js';

const serialOf = (hex: string) => hex.replace(/^0+/, '').toUpperCase();

describe('an inbound sidecar whose certificate rotates', () => {
  let cas: Awaited<ReturnType<typeof twoCas>>;
  let f: InboundFixture;
  let checkout: IssuedIdentity;

  before(async () => {
    cas = await twoCas();
    checkout = await cas.ca.issue({ service: 'checkout' });
    f = await startInbound(cas.ca);
  });
  after(async () => {
    await f.close();
    cas.remove();
  });

  it('loses no request of a steady stream, keeps open connections, and presents the new certificate on new handshakes', async () => {
    const oldSerial = serialOf((await f.call(checkout)).serverSerial);
    const agent = new Agent({ keepAlive: true, maxSockets: 3 });
    const failures: unknown[] = [];
    let ok = 0;
    let stop = false;
    const serialsAfter = new Set<string>();
    let rotated = false;
    // Three callers on kept-alive connections, one opening a new connection for every call.
    const caller = async (fresh: boolean) => {
      while (!stop) {
        try {
          const reply = await f.call(checkout, '/api/charge', fresh ? {} : { agent });
          if (reply.status !== 200) failures.push(reply.status);
          else ok++;
          if (rotated && !fresh) serialsAfter.add(serialOf(reply.serverSerial));
        } catch (err) {
          failures.push(err);
        }
      }
    };
    const callers = [caller(false), caller(false), caller(false), caller(true)];
    try {
      await waitFor(() => ok >= 60, 'the stream is flowing');
      const next = await cas.ca.issue({ service: 'payments' });
      f.holder.set(identityOf(next));
      rotated = true;
      const at = ok;
      await waitFor(() => ok >= at + 60, 'the stream goes on after the rotation');
      const fresh = await f.call(checkout);
      assert.equal(serialOf(fresh.serverSerial), serialOf(next.serial), 'a new handshake presents the new certificate');
      assert.notEqual(serialOf(next.serial), oldSerial);
      assert.ok(serialsAfter.has(oldSerial), 'connections opened before the rotation carried on');
    } finally {
      stop = true;
      await Promise.all(callers);
      agent.destroy();
    }
    assert.deepEqual(failures, []);
  });

  it('does not resume, after a rotation, a TLS session made under the old certificate', async () => {
    const g = await startInbound(cas.ca);
    try {
      const first = await handshake(g.port, checkout, undefined);
      assert.ok(first.session, 'the sidecar sent a session ticket');
      const resumed = await handshake(g.port, checkout, first.session);
      assert.equal(resumed.reused, true, 'before the rotation, the ticket resumes');
      assert.match(resumed.answer, /^HTTP\/1\.1 200 [\s\S]*"source":"checkout"/, 'a resumed session keeps its verified caller');
      const next = await cas.ca.issue({ service: 'payments' });
      g.holder.set(identityOf(next));
      const after = await handshake(g.port, checkout, first.session);
      assert.equal(after.reused, false);
      assert.match(after.answer, /^HTTP\/1\.1 200 /);
      assert.equal(serialOf(after.serial), serialOf(next.serial));
    } finally {
      await g.close();
    }
  });

  it('answers 504 when the app is too slow and 502 when it is down, naming the app', async () => {
    const g = await startInbound(cas.ca, { timeoutMs: 200 });
    try {
      const slow = await g.call(checkout, '/slow');
      assert.equal(slow.status, 504);
      assert.equal(slow.headers['x-faultmesh-error'], 'UPSTREAM_TIMEOUT');
      assert.match(slow.body, /instance app sent no response within 200ms/);
      g.releaseHeld();
      await g.stopApp();
      const down = await g.call(checkout, '/api/charge');
      assert.equal(down.status, 502);
      assert.equal(down.headers['x-faultmesh-error'], 'UPSTREAM_CONNECT_FAILED');
    } finally {
      await g.close();
    }
  });

  it('drains on shutdown: a request in flight is answered, then the listener is gone', async () => {
    const g = await startInbound(cas.ca);
    let closed = false;
    try {
      const slow = g.call(checkout, '/slow');
      await waitFor(() => g.held() === 1, 'the app holds the request');
      const shutdown = g.inbound.shutdown(10_000).finally(() => (closed = true));
      // The listener stops accepting at once, while the request in flight is still held.
      await waitFor(async () => (await rawClient(g.port).then((c) => (c.socket.destroy(), false), () => true)), 'new connections are refused');
      assert.equal(closed, false);
      g.releaseHeld();
      assert.equal((await slow).status, 200);
      assert.deepEqual(await shutdown, { drained: true, cut: 0 });
    } finally {
      if (!closed) g.releaseHeld();
      await g.close();
    }
  });
});

/** A TLS 1.3 handshake with the sidecar (offering `session` to resume), then one request, read to the end so the tickets arrive. */
function handshake(port: number, client: IssuedIdentity, session: Buffer | undefined): Promise<{ reused: boolean; serial: string; session: Buffer | undefined; answer: string }> {
  return new Promise((resolve, reject) => {
    let ticket: Buffer | undefined;
    let answer = '';
    const socket = connect({ host: '127.0.0.1', port, ca: client.trustBundlePem, cert: client.certificatePem, key: client.privateKeyPem, checkServerIdentity: checkServerIdentityFor('payments', TD), session, ALPNProtocols: ['http/1.1'] });
    socket.on('session', (s: Buffer) => (ticket = s));
    socket.once('secureConnect', () => {
      const reused = socket.isSessionReused();
      const serial = socket.getPeerCertificate().serialNumber;
      socket.write('GET /api/charge HTTP/1.1\r\nhost: payments\r\nconnection: close\r\n\r\n');
      socket.setEncoding('latin1');
      socket.on('data', (d: string) => (answer += d));
      socket.once('close', () => resolve({ reused, serial, session: ticket, answer }));
    });
    socket.once('error', reject);
  });
}
