import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { scrapeProxy } from '../../../runner/mesh-metrics.js';
import { labelLine } from '../../../control/api/metrics-route.js';
import { waitFor } from '../../helpers/wait.js';
import { openStream, startTestControl, type TestControl } from '../control-fixture.js';

const PROXY_METRICS = `# HELP faultmesh_requests_total Requests
# TYPE faultmesh_requests_total counter
faultmesh_requests_total{service="payments",code="200"} 3
faultmesh_request_duration_seconds_bucket{service="payments",le="+Inf"} 3
faultmesh_active_faults 0
`;

describe('the proxy streams', () => {
  let control: TestControl;
  let admin: Server;
  let adminUrl: string;
  before(async () => {
    control = await startTestControl();
    admin = createServer((req, res) => {
      if (req.url === '/metrics') res.end(PROXY_METRICS);
      else res.writeHead(404).end();
    }).listen(0, '127.0.0.1');
    await once(admin, 'listening');
    adminUrl = `http://127.0.0.1:${(admin.address() as AddressInfo).port}`;
  });
  after(async () => {
    await control.stop();
    admin.close();
  });

  it('refuses a stream without a proxy id, naming the parameter', async () => {
    const s = await openStream(control.url, { service: 'web' });
    assert.equal(s.status, 400);
    s.close();
  });

  it('ends the older stream when a proxy reconnects under the same id, and keeps it connected', async () => {
    const first = await openStream(control.url, { id: 'web-1', service: 'web' });
    await first.next((e) => e.event === 'snapshot');
    const second = await openStream(control.url, { id: 'web-1', service: 'web', admin: adminUrl });
    await second.next((e) => e.event === 'snapshot');
    await waitFor(() => first.closed(), 'the older stream is ended');
    const status = (await control.call('GET', '/v1/status')).json<{ proxies: Array<{ id: string; connected: boolean; admin: string }> }>();
    assert.deepEqual(status.proxies.map((p) => [p.id, p.connected, p.admin]), [['web-1', true, adminUrl]]);
  });

  it("serves the connected proxies' request metrics with a proxy label, readable by the runner's scraper", async () => {
    const samples = await scrapeProxy(control.url);
    assert.deepEqual(
      samples.map((s) => [s.name, s.labels, s.value]),
      [
        ['faultmesh_requests_total', { proxy: 'web-1', service: 'payments', code: '200' }, 3],
        ['faultmesh_request_duration_seconds_bucket', { proxy: 'web-1', service: 'payments', le: '+Inf' }, 3],
      ],
    );
    const text = (await control.call('GET', '/metrics')).text();
    assert.doesNotMatch(text, /faultmesh_active_faults/);
  });

  it('puts the proxy label on series with and without labels, keeping value and timestamp', () => {
    assert.equal(labelLine('faultmesh_requests_total 5 1700000000', 'a'), 'faultmesh_requests_total{proxy="a"} 5 1700000000');
    assert.equal(labelLine('faultmesh_requests_total{x="a b}"} 5', 'p'), 'faultmesh_requests_total{proxy="p",x="a b}"} 5');
    assert.equal(labelLine('faultmesh_requests_total_other 5', 'p'), undefined);
  });
});
