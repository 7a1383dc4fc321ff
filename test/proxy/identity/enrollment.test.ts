import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startControlPlane } from '../../../control/control-plane.js';
import { verifyChain } from '../../../proxy/identity/chain.js';
import { Enrollment, EnrollmentError, type EnrollmentOptions } from '../../../proxy/identity/enrollment.js';
import { IdentityHolder } from '../../../proxy/identity/identity-holder.js';
import { startCaControl, type CaControl } from '../../control/ca-api-fixture.js';
import { privateScalarOf } from '../../control/ca/test-pki.js';
import type { FakeTimers } from '../../helpers/fake-timers.js';
import { waitFor } from '../../helpers/wait.js';

const HOUR = 3_600_000;
const serialOf = (holder: IdentityHolder) => new X509Certificate(holder.current()!.certPem).serialNumber.toLowerCase();

/** Moves the fake clock in steps until `check` holds: renewals await real HTTP between the timers they set. */
async function advanceUntil(clock: FakeTimers, check: () => boolean, stepMs: number, what: string): Promise<void> {
  await waitFor(async () => {
    if (check()) return true;
    await clock.advance(stepMs);
    return check();
  }, what);
}

/**
 * The clock, noting when each timer set through it ran. A renewal is timed from its timer, not from its reply: real
 * HTTP delivers that while `advanceUntil` goes on moving the clock (minutes of fake time on a busy machine).
 */
function recording(clock: FakeTimers): { timers: FakeTimers; fired: number[] } {
  const fired: number[] = [];
  const timers = { ...clock, setTimeout: (fn: () => void, ms: number) => clock.setTimeout(() => (fired.push(clock.now()), fn()), ms) };
  return { timers, fired };
}

describe('a proxy enrolling with the control plane CA', () => {
  let control: CaControl;
  const closing: Array<{ close(): Promise<void> }> = [];
  const proxyLogs: string[] = [];
  before(async () => {
    control = await startCaControl({ certTtlMs: 3 * HOUR });
  });
  after(async () => {
    for (const c of closing) await c.close();
    await control?.stop();
  });

  const enrollment = (token: string, extra: Partial<EnrollmentOptions> = {}) => {
    const holder = new IdentityHolder();
    const e = new Enrollment({ urls: [control.url], joinToken: token, service: 'orders', trustDomain: 'faultmesh.local', timers: control.clock, random: () => 0.5, log: (l) => proxyLogs.push(l), ...extra }, holder);
    closing.push(e);
    return { holder, e };
  };

  it("puts a certificate for its service, signed by the CA, for the key it generated, in its holder", async () => {
    const { token } = await control.token(['orders']);
    const { holder, e } = enrollment(token);
    await e.start();
    const id = holder.current()!;
    assert.equal(id.spiffeId, 'spiffe://faultmesh.local/service/orders');
    const leaf = new X509Certificate(id.certPem);
    assert.ok(leaf.checkPrivateKey(createPrivateKey(id.keyPem)));
    assert.equal(verifyChain(leaf, [], [new X509Certificate(control.ca!.trustBundlePem)], new Date(control.clock.now())).ok, true);
    assert.ok(holder.secureContext(), 'node:tls took it');
    await e.close();
  });

  it('renews at two thirds of the lifetime with a new key, and keeps the old certificate while the control plane is down', async () => {
    const { token } = await control.token(['orders']);
    const { timers, fired } = recording(control.clock);
    const { holder, e } = enrollment(token, { timers });
    const startedAt = control.clock.now();
    await e.start();
    const first = serialOf(holder);
    const firstKey = holder.current()!.keyPem;
    await control.clock.advance(2 * HOUR - 30 * 60_000);
    assert.equal(serialOf(holder), first, 'not renewed before two thirds');
    assert.deepEqual(fired, [], 'no timer of the enrollment ran before two thirds');
    await advanceUntil(control.clock, () => serialOf(holder) !== first, 60_000, 'a new certificate at two thirds');
    // Two thirds of 3h from when the certificate arrived (not from its notBefore, which the CA backdates a minute), found by 1-minute steps.
    assert.ok(fired.length >= 1, 'the renewal ran from a timer');
    const renewedAfter = fired[0]! - startedAt;
    assert.ok(renewedAfter >= 2 * HOUR - 20_000 && renewedAfter <= 2 * HOUR + 60_000, `renewed ${renewedAfter}ms after the start`);
    assert.notEqual(holder.current()!.keyPem, firstKey, 'a new key');
    const second = serialOf(holder);
    const secondUntil = holder.current()!.notAfter.getTime();

    // The control plane goes away; the store (and the token) stay for its return.
    const { port } = new URL(control.url);
    await control.plane.close();
    const renewAt = secondUntil - HOUR;
    await control.clock.advance(renewAt - control.clock.now() + 1_000);
    await advanceUntil(control.clock, () => proxyLogs.some((l) => l.includes('renewal failed')), 1_000, 'a failed renewal is logged');
    assert.equal(serialOf(holder), second, 'the old certificate stays in force');
    await advanceUntil(control.clock, () => proxyLogs.some((l) => l.includes('past 90% of its lifetime')), 5_000, 'the 90% warning');
    assert.equal(serialOf(holder), second);
    assert.ok(control.clock.now() < secondUntil);

    const back = await startControlPlane({ listen: { host: '127.0.0.1', port: Number(port) }, store: control.store, timers: control.clock, token: 'control-secret-token', ca: control.ca, certTtlMs: 3 * HOUR, log: (l) => control.logs.push(l) });
    closing.push(back);
    await advanceUntil(control.clock, () => serialOf(holder) !== second, 1_000, 'renewed once the control plane is back');
    assert.ok(holder.current()!.notAfter.getTime() > secondUntil);
    assert.ok(!proxyLogs.join('\n').includes(privateScalarOf(holder.current()!.keyPem)), "the proxy's key is not logged");
    assert.ok(!proxyLogs.join('\n').includes(token.split('.')[2]!), 'the join token is not logged');
    await e.close();
  });
});

describe('an enrollment the control plane refuses', () => {
  let control: CaControl;
  before(async () => {
    control = await startCaControl();
  });
  after(() => control?.stop());

  const start = async (token: string, extra: Partial<EnrollmentOptions> = {}) => {
    const e = new Enrollment({ urls: [control.url], joinToken: token, service: 'orders', trustDomain: 'faultmesh.local', timers: control.clock, ...extra }, new IdentityHolder());
    try {
      await e.start();
      return undefined;
    } catch (err) {
      return err as EnrollmentError;
    } finally {
      await e.close();
    }
  };

  it('fails at once with the reason for a revoked token, naming no secret', async () => {
    const { id, token } = await control.token(['orders']);
    await control.call('DELETE', `/v1/join-tokens/${id}`);
    const err = await start(token);
    assert.ok(err instanceof EnrollmentError);
    assert.equal(err.code, 'ENROLLMENT_REFUSED');
    assert.match(err.message, new RegExp(`401 TOKEN_REVOKED: join token ${id} was revoked`));
    assert.ok(!err.message.includes(token.split('.')[2]!) && !err.message.includes('\n'));
  });

  it('fails for a service its token does not allow (403), and for another trust domain', async () => {
    const { token } = await control.token(['payments']);
    assert.match((await start(token))!.message, /403 SERVICE_NOT_ALLOWED/);
    const any = await control.token(['*']);
    const err = await start(any.token, { trustDomain: 'other.example' });
    assert.equal(err?.code, 'ENROLLMENT_INVALID');
    assert.match(err!.message, /trust domain faultmesh\.local.*--trust-domain faultmesh\.local/);
  });

  it('gives up after its bound when no control plane answers', async () => {
    const holder = new IdentityHolder();
    const e = new Enrollment({ urls: ['http://127.0.0.1:9'], joinToken: 'fmjt.0123456789ab.x', service: 'orders', trustDomain: 'faultmesh.local', timers: control.clock, firstWaitMs: 10_000 }, holder);
    let outcome: unknown;
    const started = e.start().catch((err: unknown) => (outcome = err));
    await advanceUntil(control.clock, () => outcome !== undefined, 1_000, 'the start gives up');
    await started;
    assert.equal((outcome as EnrollmentError).code, 'ENROLLMENT_TIMEOUT');
    assert.match((outcome as Error).message, /no certificate from the control plane within 10s: .*ECONNREFUSED/);
    assert.equal(holder.current(), undefined);
  });
});

describe('a proxy enrolling for a short-lived certificate', () => {
  let control: CaControl;
  before(async () => {
    control = await startCaControl({ certTtlMs: 30_000 });
  });
  after(async () => control?.stop());

  it('renews a 30 s certificate once, at 20 s, not at once and again (the CA backdates notBefore by a minute)', async () => {
    const { token } = await control.token(['orders']);
    const holder = new IdentityHolder();
    const { timers, fired } = recording(control.clock);
    const e = new Enrollment({ urls: [control.url], joinToken: token, service: 'orders', trustDomain: 'faultmesh.local', timers, random: () => 0.5 }, holder);
    try {
      const startedAt = control.clock.now();
      await e.start();
      const first = serialOf(holder);
      await control.clock.advance(15_000);
      assert.equal(serialOf(holder), first, 'not renewed before two thirds of 30 s');
      assert.deepEqual(fired, [], 'no timer of the enrollment ran before two thirds');
      await advanceUntil(control.clock, () => serialOf(holder) !== first, 1_000, 'renewed at two thirds');
      assert.ok(fired.length >= 1, 'the renewal ran from a timer');
      const renewedAfter = fired[0]! - startedAt;
      assert.ok(renewedAfter >= 20_000 && renewedAfter <= 22_000, `renewed ${renewedAfter}ms after the start`);
      const second = serialOf(holder);
      await control.clock.advance(5_000);
      assert.equal(serialOf(holder), second, 'the renewed certificate is kept until its own two thirds');
    } finally {
      await e.close();
    }
  });
});
