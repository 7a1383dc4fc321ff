import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { holdsFor } from '../../helpers/wait.js';
import { MESH, openStream, startTestControl, type StreamClient, type TestControl } from '../control-fixture.js';

describe('a proxy whose report lacks a fault of the version it runs', () => {
  let control: TestControl;
  let version: number;
  const streams: StreamClient[] = [];
  before(async () => {
    control = await startTestControl();
    assert.equal((await control.call('PUT', '/v1/mesh', { text: MESH, file: 'mesh.yaml' })).status, 200);
    assert.equal((await control.call('POST', '/v1/faults', { id: 'slow-pay', target: 'payments', abort: { status: 503 }, ttl: '10m' })).status, 201);
    version = (await control.call('GET', '/healthz')).json<{ version: number }>().version;
  });
  after(async () => {
    for (const s of streams) s.close();
    await control.stop();
  });

  /** A stand-in proxy on the stream that acknowledged the current version and then reported holding `faults`. */
  async function proxyReporting(id: string, faults: Record<string, { matched: number; hit: number }>): Promise<StreamClient> {
    const s = await openStream(control.url, { id, service: 'checkout' });
    streams.push(s);
    const first = await s.next((e) => e.event === 'snapshot');
    assert.equal(Number(first.id), version);
    assert.deepEqual(first.data.faults.map((f: { id: string }) => f.id), ['slow-pay']);
    assert.equal((await control.call('POST', `/v1/proxies/${id}/ack`, { version, applied: true })).status, 200);
    assert.equal((await control.call('POST', `/v1/proxies/${id}/report`, { faults, instances: [] })).status, 200);
    return s;
  }

  it('is sent that version again, whole, and only once within the resend interval', async () => {
    const s = await proxyReporting('lost-1', {});
    const again = await s.next((e) => e.event === 'snapshot', 1);
    assert.equal(Number(again.id), version, 'the same version');
    assert.deepEqual(again.data.faults.map((f: { id: string }) => f.id), ['slow-pay'], 'with the fault it lacked');
    assert.equal((await control.call('POST', '/v1/proxies/lost-1/report', { faults: {}, instances: [] })).status, 200);
    await holdsFor(() => s.snapshots().length === 2, 300, 'no third snapshot within the resend interval');
  });

  it('is not sent anything more while it holds every fault', async () => {
    const s = await proxyReporting('whole-1', { 'slow-pay': { matched: 0, hit: 0 } });
    await holdsFor(() => s.snapshots().length === 1, 300, 'one snapshot only');
  });

  it('is left alone while halted: no fault is in force then', async () => {
    assert.ok((await control.call('POST', '/v1/halt', {})).status < 300, 'halted');
    version = (await control.call('GET', '/healthz')).json<{ version: number }>().version;
    const s = await openStream(control.url, { id: 'halted-1', service: 'checkout' });
    streams.push(s);
    await s.next((e) => e.event === 'snapshot');
    assert.equal((await control.call('POST', '/v1/proxies/halted-1/ack', { version, applied: true })).status, 200);
    assert.equal((await control.call('POST', '/v1/proxies/halted-1/report', { faults: {}, instances: [] })).status, 200);
    await holdsFor(() => s.snapshots().length === 1, 300, 'one snapshot only');
  });
});
