import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { scriptFor, startChild, STARTUP_TIMEOUT_MS, type Child } from '../../demo/children.js';
import { serviceCommands } from '../../demo/shop/service-commands.js';
import { startEchoUpstream, type EchoUpstream } from '../../demo/echo-upstream.js';
import { send } from '../helpers/http-client.js';
import { waitFor } from '../helpers/wait.js';

const refused = async (base: string) => {
  try {
    await send(base, { path: '/healthz' });
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ECONNREFUSED';
  }
};

describe('a shop service process', () => {
  let child: Child;
  let sidecar: EchoUpstream;
  let command: ReturnType<typeof serviceCommands>;
  let ports: Record<string, number>;
  before(async () => {
    // A stand-in sidecar: it answers the catalog call the frontend makes.
    sidecar = await startEchoUpstream({ service: 'sidecar', instance: 'sidecar-1' });
    const spec = { service: 'frontend', instances: ['fe-1', 'fe-2'].map((id) => ({ id, host: '127.0.0.1', port: 0, region: 'eu-west', zone: 'eu-west-1a' })) };
    child = await startChild(scriptFor(new URL('../../demo/shop/shop-service', import.meta.url)), [JSON.stringify(spec)], { name: 'the frontend service', stdin: true });
    ports = (JSON.parse(child.readyLine) as { ports: Record<string, number> }).ports;
    command = serviceCommands(child, 'the frontend service', STARTUP_TIMEOUT_MS);
  });
  after(async () => {
    await child?.stop();
    await sidecar?.close();
  });

  const at = (id: string) => `http://127.0.0.1:${ports[id]}`;

  it('answers its health check before it knows its sidecar, and calls others only once told where it is', async () => {
    assert.equal((await send(at('fe-1'), { path: '/healthz' })).status, 200);
    const early = await send(at('fe-1'), { path: '/product/1' });
    assert.equal(early.status, 502, 'no sidecar yet: the catalog call fails, it does not crash');
    assert.deepEqual(await command({ sidecar: sidecar.url }), { sidecar: sidecar.url });
    await waitFor(async () => (await send(at('fe-1'), { path: '/product/1' })).status === 200, 'the catalog call goes through the sidecar');
  });

  it('stops one instance listening on command, leaves the others up, and starts it again on the same port', async () => {
    assert.deepEqual(await command({ stop: 'fe-2' }), { stopped: 'fe-2' });
    assert.ok(await refused(at('fe-2')), 'fe-2 refuses connections, as a host that went down');
    assert.equal((await send(at('fe-1'), { path: '/healthz' })).status, 200, 'fe-1 is still up');
    assert.deepEqual(await command({ start: 'fe-2' }), { started: 'fe-2' });
    assert.equal((await send(at('fe-2'), { path: '/healthz' })).json<{ instance: string }>().instance, 'fe-2');
  });

  it('refuses a command for an instance it does not run, and keeps taking commands', async () => {
    await assert.rejects(command({ stop: 'fe-9' }), /the frontend service: no instance fe-9 in frontend/);
    assert.deepEqual(await command({ stop: 'fe-1' }), { stopped: 'fe-1' });
    assert.deepEqual(await command({ start: 'fe-1' }), { started: 'fe-1' });
  });
});
