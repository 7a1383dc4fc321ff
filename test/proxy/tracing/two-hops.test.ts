import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEchoUpstream, type EchoUpstream } from '../../../demo/echo-upstream.js';
import type { RunningProxy } from '../../../proxy/proxy-app.js';
import { send } from '../../helpers/http-client.js';
import { startTestProxy, tempDir } from '../../helpers/mesh-fixture.js';
import { waitFor } from '../../helpers/wait.js';
import { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver.js';

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

describe('a call through two proxies', () => {
  const dir = tempDir();
  let upstream: EchoUpstream;
  let collector: OtlpReceiver;
  let first: RunningProxy;
  let second: RunningProxy;
  let seenUpstream: Record<string, string>;

  before(async () => {
    collector = await startOtlpReceiver();
    upstream = await startEchoUpstream({ service: 'payments', instance: 'pay-1' });
    const tracing = { otlpEndpoint: collector.url, flushMs: 20 };
    // The second hop routes payments to the upstream; the first routes it to the second hop.
    second = await startTestProxy(dir.file('second.yaml', `services:\n  payments:\n    instances: [{ id: pay-1, address: 127.0.0.1:${upstream.port}, region: eu-west, zone: eu-west-1a }]\n`), {
      service: 'payments-sidecar',
      tracing,
      accessLog: { kind: 'file', path: join(dir.path, 'second.log') },
    });
    const secondPort = new URL(second.proxyUrl).port;
    first = await startTestProxy(dir.file('first.yaml', `services:\n  payments:\n    instances: [{ id: hop-2, address: 127.0.0.1:${secondPort} }]\n`), {
      service: 'checkout',
      tracing,
      accessLog: { kind: 'file', path: join(dir.path, 'first.log') },
    });
    const reply = await send(first.proxyUrl, { path: '/pay?card=4111', headers: { host: 'payments', traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` } });
    assert.equal(reply.status, 200);
    seenUpstream = reply.json<{ headers: Record<string, string> }>().headers;
    await waitFor(() => collector.trace(CALLER_TRACE).length === 2, 'both hops sent their span');
  });
  let closed: Promise<void> | undefined;
  // Closing writes out the access logs, which the last test reads.
  const closeAll = () => (closed ??= Promise.all([first?.close(1000), second?.close(1000)]).then(() => {}));
  after(async () => {
    await closeAll();
    await upstream.close();
    await collector.close();
    dir.remove();
  });

  it('yields two client spans in the caller\'s trace, each the child of the hop before', () => {
    const spans = collector.trace(CALLER_TRACE);
    const hop1 = spans.find((s) => s.parentSpanId === CALLER_SPAN);
    assert.ok(hop1, 'the first hop continues the caller\'s span');
    const hop2 = spans.find((s) => s.parentSpanId === hop1.spanId);
    assert.ok(hop2, 'the second hop is the child of the first hop\'s span');
    assert.equal(hop1.kind, 3, 'kind client');
    assert.equal(hop2.kind, 3, 'kind client');
    assert.equal(hop1.resource['service.name'], 'checkout', "the sidecar's --service names its spans");
    assert.equal(hop2.resource['service.name'], 'payments-sidecar');
  });

  it("sends the last hop's span id upstream, so the app's spans are its children", () => {
    const hop2 = collector.trace(CALLER_TRACE).find((s) => s.resource['service.name'] === 'payments-sidecar')!;
    assert.equal(seenUpstream.traceparent, `00-${CALLER_TRACE}-${hop2.spanId}-01`);
  });

  it('carries the HTTP conventions and what the mesh decided', () => {
    const hop2 = collector.trace(CALLER_TRACE).find((s) => s.resource['service.name'] === 'payments-sidecar')!;
    assert.equal(hop2.name, 'GET payments');
    const a = hop2.attributes;
    assert.equal(a['http.request.method'], 'GET');
    assert.equal(a['http.response.status_code'], 200);
    assert.equal(a['url.full'], 'http://payments/pay', 'the path goes without its query');
    assert.equal(a['server.address'], 'payments');
    assert.equal(a['network.peer.port'], upstream.port);
    assert.equal(a['faultmesh.destination'], 'payments');
    assert.equal(a['faultmesh.instance'], 'pay-1');
    assert.equal(a['faultmesh.region'], 'eu-west');
    assert.equal(a['faultmesh.zone'], 'eu-west-1a');
    assert.equal(a['faultmesh.outcome'], 'success');
    const hop1 = collector.trace(CALLER_TRACE).find((s) => s.resource['service.name'] === 'checkout')!;
    assert.equal(hop1.attributes['faultmesh.source'], 'checkout', 'the calling service');
    assert.equal(hop1.attributes['faultmesh.instance'], 'hop-2');
    assert.equal(hop2.status.code, 0, 'a 200 leaves the status unset');
    assert.ok(hop2.endNs >= hop2.startNs);
  });

  it('counts the spans it sent', async () => {
    const exported = async (proxy: RunningProxy) => (await proxy.metrics.traceSpansExported.get()).values[0]?.value;
    // Counted when the collector's answer arrives, just after it kept the spans.
    await waitFor(async () => (await exported(first)) === 1 && (await exported(second)) === 1, 'each proxy counted its one span');
    assert.equal((await first.metrics.traceSpansDropped.get()).values.reduce((n, v) => n + v.value, 0), 0, 'none lost');
  });

  it('writes the span id beside the trace id in each access-log line', async () => {
    await closeAll();
    const line = (file: string) => JSON.parse(readFileSync(join(dir.path, file), 'utf8').trim().split('\n')[0]!) as Record<string, unknown>;
    const spans = collector.trace(CALLER_TRACE);
    for (const [file, service] of [['first.log', 'checkout'], ['second.log', 'payments-sidecar']] as const) {
      const l = line(file);
      assert.equal(l.traceId, CALLER_TRACE);
      assert.equal(l.spanId, spans.find((s) => s.resource['service.name'] === service)!.spanId, `${file} names its hop's span`);
    }
  });
});
