import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { RunningProxy } from '../../../proxy/proxy-app.js';
import { send } from '../../helpers/http-client.js';
import { startMeshFixture, type MeshFixture } from '../../helpers/mesh-fixture.js';
import { waitFor } from '../../helpers/wait.js';
import { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver.js';

/** A loopback port nothing listens on (taken from the OS, then let go). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const dropped = async (proxy: RunningProxy, reason: string) => (await proxy.metrics.traceSpansDropped.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;

/** `n` sampled calls at once; every one must be answered 200. */
async function callsAllAnswered(proxy: RunningProxy, n: number): Promise<void> {
  const replies = await Promise.all(Array.from({ length: n }, () => send(proxy.proxyUrl, { headers: { host: 'payments' } })));
  assert.deepEqual(replies.map((r) => r.status), replies.map(() => 200));
}

describe('a collector that is down', () => {
  let collector: OtlpReceiver;
  let fixture: MeshFixture;

  before(async () => {
    collector = await startOtlpReceiver();
    // A short export timeout and a tiny queue, so failures and a full queue come quickly.
    fixture = await startMeshFixture([{ service: 'payments', id: 'pay-1' }], { proxy: { tracing: { otlpEndpoint: collector.url, flushMs: 10, maxQueue: 4, exportTimeoutMs: 300 } } });
  });
  after(async () => {
    await fixture.stop();
    await collector.close();
  });

  it('fails no call while the collector refuses every export, and counts the spans lost', async () => {
    collector.answer({ kind: 'status', status: 503 });
    await callsAllAnswered(fixture.proxy, 3);
    await waitFor(async () => (await dropped(fixture.proxy, 'export_failed')) >= 3, 'the refused spans are counted');
    assert.equal((await fixture.proxy.metrics.traceSpansExported.get()).values[0]?.value ?? 0, 0);
  });

  it('answers calls while an export hangs, and drops what the full queue cannot hold', async () => {
    collector.answer({ kind: 'hang' });
    const before = collector.requests();
    await callsAllAnswered(fixture.proxy, 1);
    await waitFor(() => collector.requests() > before, 'an export is under way, unanswered');
    // The export is held; these calls queue their spans (4 at most) and are answered all the same.
    await callsAllAnswered(fixture.proxy, 20);
    await waitFor(async () => (await dropped(fixture.proxy, 'queue_full')) > 0, 'spans beyond the queue are dropped and counted');
  });

  it('sends again once the collector answers', async () => {
    collector.answer({ kind: 'ok' });
    // What the queue held goes out first (a span sent while it is still full would be dropped, as it should).
    await waitFor(async () => ((await fixture.proxy.metrics.traceSpansExported.get()).values[0]?.value ?? 0) > 0, 'the queued spans are sent');
    const traceId = '77777777777777777777777777777777';
    await send(fixture.proxy.proxyUrl, { headers: { host: 'payments', traceparent: `00-${traceId}-00000000000000aa-01` } });
    await waitFor(() => collector.trace(traceId).length === 1, 'the next span reaches the collector');
  });
});

describe('a collector nobody listens for', () => {
  let fixture: MeshFixture;

  before(async () => {
    fixture = await startMeshFixture([{ service: 'payments', id: 'pay-1' }], { proxy: { tracing: { otlpEndpoint: `http://127.0.0.1:${await closedPort()}`, flushMs: 10, exportTimeoutMs: 300 } } });
  });
  after(() => fixture.stop());

  it('fails no call, and counts every span lost', async () => {
    await callsAllAnswered(fixture.proxy, 5);
    await waitFor(async () => (await dropped(fixture.proxy, 'export_failed')) === 5, 'the five spans are counted as lost');
  });
});
