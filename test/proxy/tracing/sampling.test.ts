import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sampledByRatio, traceContextOf } from '../../../proxy/http/trace-context.js';
import { send } from '../../helpers/http-client.js';
import { startMeshFixture, type MeshFixture } from '../../helpers/mesh-fixture.js';
import { waitFor } from '../../helpers/wait.js';
import { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver.js';

const id = (n: number) => n.toString(16).padStart(32, '0');
const parent = (traceId: string, flags: string) => `00-${traceId}-00000000000000aa-${flags}`;

describe('sampling a new trace by ratio', () => {
  it('samples that share of trace ids, deciding each id the same way every time', () => {
    // Trace ids whose low 32 bits are spread evenly (mid-step): exactly a tenth are under 0.1.
    const ids = Array.from({ length: 1000 }, (_, i) => `${'ab'.repeat(12)}${Math.floor(((i + 0.5) * 0x1_0000_0000) / 1000).toString(16).padStart(8, '0')}`);
    assert.equal(ids.filter((t) => sampledByRatio(t, 0.1)).length, 100);
    assert.equal(ids.filter((t) => sampledByRatio(t, 0)).length, 0);
    assert.equal(ids.filter((t) => sampledByRatio(t, 1)).length, 1000);
    assert.deepEqual(ids.map((t) => sampledByRatio(t, 0.37)), ids.map((t) => sampledByRatio(t, 0.37)));
  });

  it("keeps the caller's flags, and marks a new trace sampled or not by the ratio", () => {
    assert.equal(traceContextOf({ traceparent: parent(id(1), '00') }, { ratio: 1 }).flags, '00', "a caller's decision stands");
    assert.equal(traceContextOf({ traceparent: parent(id(1), '01') }, { ratio: 0 }).flags, '01');
    assert.equal(traceContextOf({}, { ratio: 0 }).flags, '00');
    assert.equal(traceContextOf({}, { ratio: 1 }).flags, '01');
    assert.equal(traceContextOf({}).flags, '01', 'a proxy that exports no spans marks new traces sampled, as before');
  });
});

describe('which calls get a span', () => {
  let collector: OtlpReceiver;
  let never: MeshFixture;
  let always: MeshFixture;

  /** The traceparent the upstream received for a call with `headers`. */
  const call = async (fixture: MeshFixture, headers: Record<string, string> = {}) => {
    const reply = await send(fixture.proxy.proxyUrl, { headers: { host: 'payments', ...headers } });
    assert.equal(reply.status, 200);
    return reply.json<{ headers: Record<string, string> }>().headers.traceparent!;
  };
  /** A sampled call through `fixture`, sent after the calls being judged: once its span is in, theirs would be too. */
  const barrier = async (fixture: MeshFixture, traceId: string) => {
    await call(fixture, { traceparent: parent(traceId, '01') });
    await waitFor(() => collector.trace(traceId).length === 1, `the span of ${traceId} arrived`);
  };

  before(async () => {
    collector = await startOtlpReceiver();
    const proxy = (sample: number) => ({ proxy: { tracing: { otlpEndpoint: collector.url, sample, flushMs: 10 } } });
    never = await startMeshFixture([{ service: 'payments', id: 'pay-1' }], proxy(0));
    always = await startMeshFixture([{ service: 'payments', id: 'pay-1' }], proxy(1));
  });
  after(async () => {
    await never.stop();
    await always.stop();
    await collector.close();
  });

  it('at sample 0: no span for a trace it starts, marked unsampled upstream; a sampled caller still gets its span', async () => {
    const started = await call(never);
    assert.match(started, /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/, 'the next hop is told not to sample');
    const unsampledCaller = await call(never, { traceparent: parent(id(0xa), '00') });
    assert.match(unsampledCaller, /-00$/);
    await barrier(never, id(0xb));
    assert.equal(collector.trace(started.slice(3, 35)).length, 0);
    assert.equal(collector.trace(id(0xa)).length, 0, "a caller's unsampled trace stays unsampled");
    assert.equal(collector.trace(id(0xb)).length, 1, 'parent-based: a sampled trace stays sampled across hops');
  });

  it("at sample 1: a span for every trace it starts, marked sampled upstream; an unsampled caller's trace gets none", async () => {
    const started = await call(always);
    assert.match(started, /-01$/);
    await call(always, { traceparent: parent(id(0xc), '00') });
    await barrier(always, id(0xd));
    assert.equal(collector.trace(started.slice(3, 35)).length, 1);
    assert.equal(collector.trace(id(0xc)).length, 0);
  });
});
