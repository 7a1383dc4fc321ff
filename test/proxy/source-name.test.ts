import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { send } from '../helpers/http-client.js';
import { runCli } from '../helpers/cli.js';
import { startMeshFixture, type MeshFixture } from '../helpers/mesh-fixture.js';
import { sample } from '../helpers/metrics.js';

describe('the calling service\'s name', () => {
  let f: MeshFixture;
  before(async () => (f = await startMeshFixture([{ service: 'payments', id: 'pay-1' }])));
  after(() => f.stop());

  it('counts a request that names its source "CheckOut" as checkout\'s, the only spelling a metric probe can select', async () => {
    for (const source of ['CheckOut', 'CHECKOUT', 'checkout']) assert.equal((await send(f.proxy.proxyUrl, { headers: { host: 'payments', 'x-faultmesh-source': source } })).status, 200);
    const metrics = (await send(f.proxy.adminUrl, { path: '/metrics' })).text();
    assert.equal(sample(metrics, 'faultmesh_requests_total', { source: 'checkout', destination: 'payments', code: '200' }), 3);
    assert.doesNotMatch(metrics, /source="(CheckOut|CHECKOUT)"/);
  });

  it('refuses --service CheckOut with the mesh file\'s message and exit 2', async () => {
    const run = await runCli(['proxy', '--mesh', f.meshFile, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--service', 'CheckOut']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--service: service names are lower case: hosts match case-insensitively, so "CheckOut" could never be reached; write "checkout"/);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  });
});
