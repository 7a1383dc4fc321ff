import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../helpers/wait.js';
import { MESH, openStream, startTestControl, type StreamClient, type TestControl } from '../control-fixture.js';

interface Status {
  version: number;
  meshVersion?: number;
  summary: string;
  discrepancies: string[];
  proxies: Array<{ id: string; connected: boolean; applied: number; behindBy: number; lastRejection?: { version: number; reason: string }; faults: Record<string, { matched: number; hit: number }>; halted: boolean }>;
  services: Array<{ name: string; instances: Array<{ id: string; source: string; health: Record<string, string> }> }>;
  faults: Array<{ id: string; appliedBy: string[]; missingOn: string[] }>;
}

describe('desired against observed state', () => {
  let control: TestControl;
  const streams: StreamClient[] = [];
  const status = async () => (await control.call('GET', '/v1/status')).json<Status>();
  const ack = (id: string, body: unknown) => control.call('POST', `/v1/proxies/${id}/ack`, body);
  const proxy = async (id: string) => {
    const s = await openStream(control.url, { id, service: 'web', zone: 'eu-1a', admin: 'http://127.0.0.1:1' });
    streams.push(s);
    return s;
  };

  before(async () => {
    control = await startTestControl();
    await control.call('PUT', '/v1/mesh', { text: MESH });
  });
  after(async () => {
    for (const s of streams) s.close();
    await control.stop();
  });

  it('takes acknowledgements and reports into /v1/status', async () => {
    const web1 = await proxy('web-1');
    const first = await web1.next((e) => e.event === 'snapshot');
    assert.equal((await ack('web-1', { version: first.data.version, applied: true })).status, 200);
    const report = await control.call('POST', '/v1/proxies/web-1/report', { faults: { f0: { matched: 4, hit: 2 } }, instances: [{ service: 'payments', id: 'p1', state: 'ejected', ejectedUntil: '2030-01-01T00:00:30Z' }] });
    assert.equal(report.status, 200, report.text());
    const s = await status();
    const meshVersion = (await control.call('GET', '/v1/mesh')).json<{ version: number }>().version;
    assert.equal(s.summary, `all 1 proxy on version ${first.data.version} (mesh version ${meshVersion})`, 'the version expect-version compares is named too');
    assert.equal(s.meshVersion, meshVersion);
    assert.deepEqual(s.discrepancies, []);
    const p = s.proxies.find((x) => x.id === 'web-1')!;
    assert.deepEqual([p.connected, p.applied, p.behindBy, p.faults.f0], [true, first.data.version, 0, { matched: 4, hit: 2 }]);
    assert.deepEqual(s.services.find((x) => x.name === 'payments')!.instances, [{ id: 'p1', address: '127.0.0.1:9301', source: 'mesh', health: { 'web-1': 'ejected' } }]);
  });

  it('refuses an ack from a proxy that never opened a stream, and a malformed report', async () => {
    const unknown = await ack('nobody', { version: 1, applied: true });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json().code, 'PROXY_NOT_FOUND');
    const bad = await control.call('POST', '/v1/proxies/web-1/report', { faults: { f0: { matched: -1, hit: 0 } } });
    assert.equal(bad.status, 400);
  });

  it('flags a proxy held on an old version for more than 3 s, and a fault it has not applied', async () => {
    const web2 = await proxy('web-2');
    const first = await web2.next((e) => e.event === 'snapshot');
    await ack('web-2', { version: first.data.version, applied: true });
    const seen = streams[0]!.events.length;
    const added = await control.call('POST', '/v1/faults', { id: 'f1', target: 'payments', abort: { status: 503 }, ttl: '1m' });
    assert.equal(added.status, 201);
    const next = await streams[0]!.next((e) => e.event === 'snapshot', seen);
    await ack('web-1', { version: next.data.version, applied: true });
    // Within the grace, a push still on its way is not a discrepancy.
    assert.deepEqual((await status()).discrepancies, []);
    await control.clock.advance(4_000);
    const s = await status();
    assert.match(s.summary, /^2 discrepancies/);
    assert.deepEqual(s.discrepancies, [`web-2 on version ${first.data.version}, 4s behind version ${next.data.version}`, 'fault f1 not applied on web-2']);
    assert.deepEqual(s.faults, [{ id: 'f1', target: 'payments', remainingMs: 56_000, appliedBy: ['web-1'], missingOn: ['web-2'] }]);
    const fault = (await control.call('GET', '/v1/faults/f1')).json<{ proxies: string[] }>();
    assert.deepEqual(fault.proxies, ['web-1']);
  });

  it('flags a rejected version with its reason', async () => {
    const version = (await status()).version;
    await ack('web-2', { version, applied: false, reason: 'services.payments: no instances' });
    const s = await status();
    assert.ok(s.discrepancies.includes(`web-2 rejected version ${version}: services.payments: no instances`), s.discrepancies.join('\n'));
    assert.equal(s.proxies.find((p) => p.id === 'web-2')!.lastRejection!.version, version);
  });

  it('flags a proxy that applied a version the control plane has not reached (a restart without --data)', async () => {
    const ahead = await proxy('web-3');
    const first = await ahead.next((e) => e.event === 'snapshot');
    await ack('web-3', { version: first.data.version + 100, applied: true });
    const s = await status();
    assert.ok(s.discrepancies.some((d) => d.startsWith(`web-3 reports version ${first.data.version + 100}, ahead of the control plane's ${first.data.version}`)), s.discrepancies.join('\n'));
    ahead.close();
    await waitFor(async () => (await status()).proxies.some((p) => p.id === 'web-3' && !p.connected), 'web-3 shows as disconnected');
  });

  it('keeps a disconnected proxy in the list, flagged, and forgets it after 5 minutes', async () => {
    streams[1]!.close();
    await waitFor(async () => (await status()).proxies.some((p) => p.id === 'web-2' && !p.connected), 'web-2 shows as disconnected');
    const s = await status();
    assert.ok(s.discrepancies.some((d) => /^web-2 disconnected since /.test(d)), s.discrepancies.join('\n'));
    await control.clock.advance(5 * 60_000 + 1000);
    assert.deepEqual((await status()).proxies.map((p) => p.id), ['web-1']);
  });
});
