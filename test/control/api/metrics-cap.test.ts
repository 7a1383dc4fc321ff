import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { MAX_METRICS_BYTES } from '../../../control/api/metrics-route.js';
import { MAX_PUBLISHED_BYTES, published } from '../../../control/replica/replica-status.js';
import type { ObservedProxy } from '../../../control/push/observed-proxies.js';
import { openStream, startTestControl, type StreamClient, type TestControl } from '../control-fixture.js';

describe("the control plane's GET /metrics", () => {
  let control: TestControl;
  let huge: Server;
  let stream: StreamClient;
  before(async () => {
    control = await startTestControl();
    // An "admin URL" whose /metrics never ends: a proxy's is a few hundred KiB.
    huge = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const line = `${'faultmesh_requests_total{service="x"} 1\n'.repeat(1000)}`;
      let sent = 0;
      const pump = () => {
        while (sent <= MAX_METRICS_BYTES * 2) {
          sent += line.length;
          if (!res.write(line)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    await new Promise<void>((r) => huge.listen(0, '127.0.0.1', r));
    stream = await openStream(control.url, { id: 'big-metrics', service: 'web', admin: `http://127.0.0.1:${(huge.address() as AddressInfo).port}` });
    await stream.next((e) => e.event === 'snapshot');
  });
  after(async () => {
    stream.close();
    huge.closeAllConnections();
    await new Promise((r) => huge.close(r));
    await control.stop();
  });

  it('leaves out, and does not buffer, a proxy whose /metrics is larger than any proxy serves', async () => {
    const r = await control.call('GET', '/metrics');
    assert.equal(r.status, 200);
    assert.match(r.text(), new RegExp(`# big-metrics: /metrics is larger than ${MAX_METRICS_BYTES} bytes: left out`));
    assert.ok(r.body.length < 10_000, `the answer holds none of it (${r.body.length} bytes)`);
  });
});

describe("a replica's published proxies", () => {
  const proxy = (i: number, instances: number): ObservedProxy => ({
    id: `p${i}`,
    service: 'web',
    connected: true,
    connectedSince: 0,
    applied: 1,
    faults: { f1: { matched: 1, hit: 1 } },
    instances: Array.from({ length: instances }, (_, j) => ({ service: 'payments', id: `instance-${j}`, state: j % 10 === 0 ? 'ejected' : 'healthy' })),
  });

  it('carries only instances that are not healthy', () => {
    const [p] = published([proxy(0, 100)]);
    assert.equal(p!.instances.length, 10);
    assert.ok(p!.instances.every((i) => i.state === 'ejected'));
  });

  it('stays under one etcd write however many proxies report however many instances, saying what it left out', () => {
    const out = published(Array.from({ length: 40 }, (_, i) => proxy(i, 10_000)));
    assert.ok(Buffer.byteLength(JSON.stringify(out)) <= MAX_PUBLISHED_BYTES);
    assert.equal(out.length, 40, 'every proxy is still listed');
    assert.ok(out.every((p) => p.truncated === true && p.instances.length === 0));
  });
});
