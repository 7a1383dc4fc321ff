import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startControlPlane } from '../../control/control-plane.js';
import { send } from '../helpers/http-client.js';
import { tempDir } from '../helpers/mesh-fixture.js';
import { MESH, openStream } from './control-fixture.js';

const json = (url: string, method: string, path: string, body?: unknown) =>
  send(url, { method, path, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });

describe('a control plane with a data directory', () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('serves the same mesh after a restart, without the leased faults, and never an older version', async () => {
    const first = await startControlPlane({ listen: { host: '127.0.0.1', port: 0 }, dataDir: dir.path });
    const applied = (await json(first.url, 'PUT', '/v1/mesh', { text: MESH, file: 'mesh.yaml' })).json<{ version: number }>();
    assert.equal((await json(first.url, 'POST', '/v1/faults', { target: 'payments', abort: { status: 503 }, ttl: '1m' })).status, 201);
    const before = (await json(first.url, 'GET', '/v1/status')).json<{ version: number }>().version;
    await first.close();

    const second = await startControlPlane({ listen: { host: '127.0.0.1', port: 0 }, dataDir: dir.path });
    try {
      const mesh = (await json(second.url, 'GET', '/v1/mesh')).json<{ version: number; text: string }>();
      assert.deepEqual([mesh.version, mesh.text], [applied.version, MESH]);
      assert.deepEqual((await json(second.url, 'GET', '/v1/faults')).json<{ faults: unknown[] }>().faults, []);
      const stream = await openStream(second.url, { id: 'web-1', service: 'web' });
      const snapshot = await stream.next((e) => e.event === 'snapshot');
      assert.ok(snapshot.data.version > before, `version ${snapshot.data.version} after the restart is past ${before}`);
      assert.equal(snapshot.data.mesh.text, MESH);
      stream.close();
    } finally {
      await second.close();
    }
  });
});
