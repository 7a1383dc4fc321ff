import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type RunningControlPlane } from '../../../control/control-plane.js';
import type { EchoUpstream } from '../../../demo/echo-upstream.js';
import { loadMeshFile } from '../../../proxy/config/load-mesh.js';
import { ConfigError, formatIssue } from '../../../proxy/config/config-error.js';
import { startProxy, type RunningProxy } from '../../../proxy/proxy-app.js';
import { send } from '../../helpers/http-client.js';
import { meshYaml, startTestProxy, startUpstreams, tempDir } from '../../helpers/mesh-fixture.js';
import { waitFor } from '../../helpers/wait.js';
import { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver.js';

const specs = [{ service: 'payments', id: 'pay-1' }];

/** Sends one call in a fresh trace (sampled, so any proxy exporting spans makes one) and returns its trace id. */
let traces = 0;
async function sampledCall(proxyUrl: string): Promise<string> {
  const traceId = (++traces).toString(16).padStart(32, 'e');
  const reply = await send(proxyUrl, { headers: { host: 'payments', traceparent: `00-${traceId}-00000000000000aa-01` } });
  assert.equal(reply.status, 200, reply.text());
  return traceId;
}

describe("the mesh file's tracing:", () => {
  const dir = tempDir();
  let upstreams: Map<string, EchoUpstream>;
  let collector: OtlpReceiver;

  before(async () => {
    collector = await startOtlpReceiver();
    upstreams = await startUpstreams(specs);
  });
  after(async () => {
    for (const u of upstreams.values()) await u.close();
    await collector.close();
    dir.remove();
  });

  it('turns spans on without a flag, and a reload without it turns them off', async () => {
    const plain = meshYaml(specs, upstreams);
    const file = dir.file('mesh.yaml', `${plain}tracing: { otlpEndpoint: "${collector.url}" }\n`);
    const proxy = await startTestProxy(file);
    try {
      const on = await sampledCall(proxy.proxyUrl);
      await waitFor(() => collector.trace(on).length === 1, 'the span of a call reaches the mesh\'s collector');
      writeFileSync(file, plain);
      assert.equal(proxy.reload?.().ok, true);
      const off = await sampledCall(proxy.proxyUrl);
      // Spans end up at the collector in order: the flush on close sends the last of them, and this one is not among them.
      await proxy.close(1000);
      assert.equal(collector.trace(off).length, 0);
    } finally {
      await proxy.close(1000);
    }
  });

  it('is overridden field by field by the flags: the flag\'s sample wins, the mesh\'s endpoint stays', async () => {
    const file = dir.file('sampled.yaml', `${meshYaml(specs, upstreams)}tracing: { otlpEndpoint: "${collector.url}", sample: 1 }\n`);
    const proxy = await startTestProxy(file, { tracing: { sample: 0 } });
    try {
      const reply = await send(proxy.proxyUrl, { headers: { host: 'payments' } });
      assert.match(reply.json<{ headers: Record<string, string> }>().headers.traceparent!, /-00$/, '--trace-sample 0: traces this proxy starts are not sampled');
      const sampled = await sampledCall(proxy.proxyUrl);
      await waitFor(() => collector.trace(sampled).length === 1, "the mesh's endpoint still gets a sampled caller's span");
    } finally {
      await proxy.close(1000);
    }
  });

  it('is refused with the file, line and field when it is not one', () => {
    const file = dir.file('bad.yaml', `${meshYaml(specs, upstreams)}tracing:\n  otlpEndpoint: grpc://collector:4317\n  sample: 10\n`);
    const err = (() => {
      try {
        loadMeshFile(file);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(err instanceof ConfigError, 'refused');
    const lines = err.issues.map(formatIssue).join('\n');
    assert.match(lines, /bad\.yaml:\d+:\d+ tracing\.otlpEndpoint: "grpc:\/\/collector:4317" is not http:\/\/ or https:\/\//);
    assert.match(lines, /bad\.yaml:\d+:\d+ tracing\.sample: sample is from 0 to 1/);
  });
});

describe('tracing pushed by the control plane', () => {
  const TOKEN = 'trace-token';
  const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  let control: RunningControlPlane;
  let upstreams: Map<string, EchoUpstream>;
  let collector: OtlpReceiver;
  let proxy: RunningProxy;

  before(async () => {
    collector = await startOtlpReceiver();
    upstreams = await startUpstreams(specs);
    control = await startControlPlane({ listen: { host: '127.0.0.1', port: 0 }, token: TOKEN });
    proxy = await startProxy({
      listen: { host: '127.0.0.1', port: 0 },
      admin: { host: '127.0.0.1', port: 0 },
      accessLog: { kind: 'off' },
      service: 'checkout',
      control: { urls: [control.url], token: TOKEN, id: 'checkout-traced', log: () => {} },
    });
  });
  after(async () => {
    await proxy?.close(1000);
    await control?.close();
    for (const u of upstreams?.values() ?? []) await u.close();
    await collector?.close();
  });

  it('turns every proxy\'s spans on with a mesh apply, and off with the next', async () => {
    const plain = meshYaml(specs, upstreams);
    const apply = async (text: string) => {
      const r = await send(control.url, { method: 'PUT', path: '/v1/mesh', headers: auth, body: JSON.stringify({ text, file: 'mesh.yaml' }) });
      assert.equal(r.status, 200, r.text());
    };
    const meshVersion = async () => (await send(proxy.adminUrl, { path: '/healthz' })).json<{ meshVersion?: number }>().meshVersion ?? 0;
    await apply(`${plain}tracing: { otlpEndpoint: "${collector.url}", sample: 1 }\n`);
    // A call a try: the first ones may come before the proxy applied the push (or before it routes payments at all).
    await waitFor(async () => {
      await send(proxy.proxyUrl, { headers: { host: 'payments', traceparent: `00-${'f'.repeat(32)}-00000000000000aa-01` } });
      return collector.spans.length > 0;
    }, 'a span reaches the collector the pushed mesh names');
    assert.equal(collector.spans[0]!.resource['service.name'], 'checkout', "named after the proxy's --service");
    const traced = await meshVersion();
    await apply(plain);
    await waitFor(async () => (await meshVersion()) > traced, 'the proxy applied the mesh without tracing');
    const before = collector.spans.length;
    const off = await sampledCall(proxy.proxyUrl);
    await proxy.close(1000);
    assert.equal(collector.trace(off).length, 0, 'no span once the mesh says nothing of tracing');
    assert.equal(collector.spans.length, before);
  });
});
