import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { count, pay, startResilienceFixture } from '../../helpers/resilience-fixture.js';

describe('latency- and locality-aware balancing', () => {
  const stops: Array<() => Promise<void>> = [];
  after(async () => {
    for (const stop of stops) await stop();
  });

  it('peak-EWMA gives a 300 ms instance little traffic', async () => {
    const f = await startResilienceFixture([pay('pay-1'), pay('pay-2'), pay('pay-3')], `loadBalancer: peak-ewma`);
    stops.push(f.stop);
    f.upstream('pay-3').behave({ delayMs: 300 });
    const replies = await f.calls(90, 3);
    assert.equal(count(replies, 200), 90);
    // Round-robin would send it 30 of 90.
    assert.ok(f.received('pay-3') <= 5, `the slow instance got ${f.received('pay-3')} of 90`);
    const slow = (await f.instances()).get('pay-3')!;
    assert.ok(slow.ewmaLatencyMs! >= 290, `its latency average is ${slow.ewmaLatencyMs} ms`);
    assert.ok((await f.instances()).get('pay-1')!.ewmaLatencyMs! < 100);
  });

  it('keeps traffic in the local zone, and spills over when the zone degrades', async () => {
    const specs = [pay('a-1', 'eu-west', 'eu-west-1a'), pay('a-2', 'eu-west', 'eu-west-1a'), pay('b-1', 'eu-west', 'eu-west-1b'), pay('b-2', 'eu-west', 'eu-west-1b')];
    const policy = `
locality: { prefer: zone, failoverBelowHealthy: 70% }
retries: { attempts: 2, retryOn: [5xx], backoff: { base: 1ms, max: 1ms } }
outlierDetection: { consecutive5xx: 2 }
`;
    const f = await startResilienceFixture(specs, policy, { region: 'eu-west', zone: 'eu-west-1a' });
    stops.push(f.stop);
    await f.calls(40);
    assert.deepEqual(['a-1', 'a-2', 'b-1', 'b-2'].map(f.received), [20, 20, 0, 0], 'all local while the zone is healthy');

    // A caller that says it is in the other zone is served there.
    await f.calls(10, 1, { headers: { 'x-faultmesh-source-zone': 'eu-west-1b' } });
    assert.equal(f.received('b-1') + f.received('b-2'), 10);

    f.upstream('a-1').behave({ status: 500 });
    const replies = await f.calls(60);
    assert.equal(count(replies, 200), 60, 'retries cover the failures before the ejection');
    assert.equal((await f.instances()).get('a-1')!.health, 'ejected');
    const remote = f.received('b-1') + f.received('b-2') - 10;
    assert.ok(remote >= 30, `with half the zone out (50% < 70%), traffic spills over to the other zone: ${remote} of 60`);
  });

  it('fails over by region when the proxy prefers its region and that region is down', async () => {
    const specs = [pay('eu-1', 'eu-west', 'eu-west-1a'), pay('us-1', 'us-east', 'us-east-1a'), pay('us-2', 'us-east', 'us-east-1b')];
    const f = await startResilienceFixture(specs, `locality: { prefer: region }\nretries: { attempts: 2, retryOn: [5xx], backoff: { base: 1ms, max: 1ms } }\noutlierDetection: { consecutive5xx: 1, maxEjectionPercent: 50 }`, { region: 'eu-west' });
    stops.push(f.stop);
    await f.calls(10);
    assert.equal(f.received('eu-1'), 10);
    f.upstream('eu-1').behave({ status: 503 });
    const replies = await f.calls(20);
    assert.equal(count(replies, 200), 20);
    assert.equal(f.received('eu-1'), 11, 'one failure, then ejected');
    assert.equal(f.received('us-1') + f.received('us-2'), 20);
  });
});
