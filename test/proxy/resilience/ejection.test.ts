import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sample } from '../../helpers/metrics.js';
import { count, pay, startResilienceFixture } from '../../helpers/resilience-fixture.js';
import { AUTH } from '../../helpers/fault-fixture.js';
import { send } from '../../helpers/http-client.js';

const POLICY = `
retries: { attempts: 2, retryOn: [5xx], backoff: { base: 1ms, max: 2ms } }
outlierDetection: { consecutive5xx: 3, baseEjectionTime: 30s }
`;

describe('outlier detection through the proxy', () => {
  const stops: Array<() => Promise<void>> = [];
  after(async () => {
    for (const stop of stops) await stop();
  });

  it('ejects an instance that always answers 500; callers see at least 99.5% success', async () => {
    const f = await startResilienceFixture([pay('pay-1'), pay('pay-2'), pay('pay-3')], POLICY);
    stops.push(f.stop);
    f.upstream('pay-2').behave({ status: 500 });
    const replies = await f.calls(300, 3);
    const ok = count(replies, 200);
    assert.ok(ok >= 0.995 * 300, `${ok} of 300 succeeded`);
    assert.equal(f.received('pay-2'), 3, 'three failures in a row, then no more traffic');

    const pay2 = (await f.instances()).get('pay-2')!;
    assert.equal(pay2.health, 'ejected');
    assert.equal(Date.parse(pay2.ejectedUntil!), f.now() + 30_000);
    const metrics = await f.metrics();
    assert.equal(sample(metrics, 'faultmesh_outlier_ejections_total', { destination: 'payments', instance: 'pay-2', reason: 'consecutive-5xx' }), 1);
    assert.equal(sample(metrics, 'faultmesh_instance_ejected', { destination: 'payments', instance: 'pay-2' }), 1);
    assert.equal(sample(metrics, 'faultmesh_instance_ejected', { destination: 'payments', instance: 'pay-1' }), 0);
    assert.equal(sample(metrics, 'faultmesh_retries_total', { destination: 'payments', reason: '5xx' }), 3);
  });

  it('takes an ejected instance back on probation, ejects it for twice as long if it still fails, and clears it once well', async () => {
    const f = await startResilienceFixture([pay('pay-1'), pay('pay-2')], POLICY);
    stops.push(f.stop);
    f.upstream('pay-2').behave({ status: 500 });
    await f.calls(20);
    assert.equal((await f.instances()).get('pay-2')!.health, 'ejected');

    f.advance(30_000);
    assert.equal((await f.instances()).get('pay-2')!.health, 'probation');
    await f.calls(4);
    let pay2 = (await f.instances()).get('pay-2')!;
    assert.equal(pay2.health, 'ejected', 'one failure on probation is enough');
    assert.equal(Date.parse(pay2.ejectedUntil!), f.now() + 60_000);
    assert.equal(pay2.ejections, 2);
    assert.equal(sample(await f.metrics(), 'faultmesh_outlier_ejections_total', { instance: 'pay-2', reason: 'probation' }), 1);

    f.upstream('pay-2').behave({});
    f.advance(60_000);
    const before = f.received('pay-2');
    await f.calls(4);
    assert.ok(f.received('pay-2') > before, 'back in rotation');
    pay2 = (await f.instances()).get('pay-2')!;
    assert.equal(pay2.health, 'healthy');
  });

  it('never ejects more than maxEjectionPercent of the instances', async () => {
    const f = await startResilienceFixture([pay('pay-1'), pay('pay-2')], `outlierDetection: { consecutive5xx: 2, maxEjectionPercent: 50 }`);
    stops.push(f.stop);
    for (const u of f.upstreams.values()) u.behave({ status: 500 });
    await f.calls(20);
    const states = [...(await f.instances()).values()].map((i) => i.health).sort();
    assert.deepEqual(states, ['ejected', 'healthy']);
    assert.ok(f.received('pay-1') + f.received('pay-2') === 20, 'the one left in takes the traffic');
  });

  it('uses every instance again in panic mode when all are ejected', async () => {
    const f = await startResilienceFixture([pay('pay-1'), pay('pay-2')], `outlierDetection: { consecutive5xx: 2, maxEjectionPercent: 100 }`);
    stops.push(f.stop);
    for (const u of f.upstreams.values()) u.behave({ status: 500 });
    await f.calls(4);
    assert.deepEqual([...(await f.instances()).values()].map((i) => i.health), ['ejected', 'ejected']);
    const replies = await f.calls(10);
    assert.equal(count(replies, 500), 10, 'the instances still answer, instead of the proxy refusing with 503');
    assert.equal(f.received('pay-1') + f.received('pay-2'), 14);
  });

  it('masks a fault on one host with retries, and shows its ejection in /v1/services', async () => {
    const f = await startResilienceFixture([pay('pay-1'), pay('pay-2'), pay('pay-3')], POLICY, { adminToken: 'test-token' });
    stops.push(f.stop);
    const rule = { id: 'pay-3-down', target: 'payments', match: { hosts: ['pay-3'] }, abort: { status: 503 }, ttl: '60s' };
    const added = await send(f.proxy.adminUrl, { method: 'POST', path: '/v1/faults', headers: { ...AUTH, 'content-type': 'application/json' }, body: JSON.stringify(rule) });
    assert.equal(added.status, 201, added.text());
    const replies = await f.calls(100, 2);
    assert.equal(count(replies, 200), 100, 'every request succeeded on another instance');
    assert.equal(f.received('pay-3'), 0, 'the fault answered in place of pay-3');
    const pay3 = (await f.instances()).get('pay-3')!;
    assert.equal(pay3.health, 'ejected');
    assert.ok(pay3.ejectedUntil);
    assert.equal(sample(await f.metrics(), 'faultmesh_faults_injected_total', { kind: 'abort', destination: 'payments' }), 3);
  });
});
