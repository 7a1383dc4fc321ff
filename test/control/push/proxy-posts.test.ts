import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStream, startTestControl, type StreamClient, type TestControl } from '../control-fixture.js';

const TOKEN = 'posts-token';

describe('the answers to proxies\' acks and reports', () => {
  let control: TestControl;
  let stream: StreamClient;
  before(async () => {
    control = await startTestControl({ token: TOKEN });
    stream = await openStream(control.url, { id: 'web-1', service: 'web' }, TOKEN);
  });
  after(async () => {
    stream.close();
    await control.stop();
  });

  it('answers an ack and a report with {"ok":true} as JSON, written as it is (no ETag: every proxy sends one per version)', async () => {
    const first = await stream.next((e) => e.event === 'snapshot');
    for (const [path, body] of [
      ['/v1/proxies/web-1/ack', { version: first.data.version, applied: true }],
      ['/v1/proxies/web-1/report', { faults: {}, instances: [] }],
    ] as const) {
      const r = await control.call('POST', path, body);
      assert.equal(r.status, 200, path);
      assert.equal(r.text(), '{"ok":true}', path);
      assert.match(String(r.headers['content-type']), /^application\/json/, path);
      assert.equal(r.headers.etag, undefined, `${path} is answered without res.json's ETag`);
    }
    const status = (await control.call('GET', '/v1/status')).json<{ proxies: Array<{ id: string; applied: number }> }>();
    assert.equal(status.proxies.find((p) => p.id === 'web-1')?.applied, first.data.version);
  });

  it('still answers a bad ack, an unknown proxy and a missing token through the one error handler', async () => {
    const bad = await control.call('POST', '/v1/proxies/web-1/ack', { version: -1, applied: true });
    assert.equal(bad.status, 400);
    assert.equal(bad.json().code, 'INVALID_REQUEST');
    const unknown = await control.call('POST', '/v1/proxies/nobody/ack', { version: 1, applied: true });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json().code, 'PROXY_NOT_FOUND');
    const anonymous = await control.call('POST', '/v1/proxies/web-1/report', { faults: {}, instances: [] }, '');
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json().code, 'UNAUTHORIZED');
  });
});
