import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ADMIN_MAX_CONNECTIONS } from '../../../proxy/http/connection-limit.js';
import { send } from '../../helpers/http-client.js';
import { startMeshFixture, type MeshFixture } from '../../helpers/mesh-fixture.js';
import { rawClient, type RawClient } from '../../helpers/raw-socket.js';
import { waitFor } from '../../helpers/wait.js';

describe('the admin API against a full budget of idle sockets', () => {
  let fixture: MeshFixture | undefined;
  const idle: RawClient[] = [];
  after(async () => {
    for (const c of idle) c.socket.destroy();
    await fixture?.stop();
  });

  it('cuts idle admin sockets at its headers timeout, so an emergency halt gets through well before Node\'s 30 s check', async () => {
    fixture = await startMeshFixture([{ service: 'payments', id: 'pay-1' }]);
    const admin = fixture.proxy.adminUrl;
    const port = Number(new URL(admin).port);
    for (let i = 0; i < ADMIN_MAX_CONNECTIONS; i++) idle.push(await rawClient(port));
    // Every halt attempt until the idle ones are cut meets a full budget and is dropped; 20 s is below Node's default 30 s check.
    let halted = 0;
    await waitFor(
      async () => {
        halted = await send(admin, { method: 'POST', path: '/v1/halt' }).then(
          (r) => r.status,
          () => 0,
        );
        return halted === 200;
      },
      'a halt is answered',
      20_000,
    );
    assert.equal(halted, 200);
    assert.equal(fixture.proxy.faults.halted, true, 'the halt took effect');
    await waitFor(() => idle.every((c) => c.socket.destroyed), 'every idle socket is closed');
    for (const c of idle) assert.match(c.received(), /^HTTP\/1\.1 408 /, 'closed by the server for its silence');
  });
});
