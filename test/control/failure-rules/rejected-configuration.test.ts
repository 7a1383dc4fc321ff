import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { EchoUpstream } from '../../../demo/echo-upstream.js';
import { addFault, applyMesh, call, desiredVersion, Fleet, healthOf, routesOn, waitInSync, type FleetChild } from '../../helpers/control-fleet.js';
import { meshYaml, startUpstreams, tempDir, type InstanceSpec } from '../../helpers/mesh-fixture.js';

const specs: InstanceSpec[] = [{ service: 'payments', id: 'pay-1', labels: { version: 'v1' } }];
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('failure rule: a rejected configuration', () => {
  const fleet = new Fleet();
  const dir = tempDir();
  let upstreams: Map<string, EchoUpstream>;
  let control: FleetChild;
  let proxies: FleetChild[];

  before(async () => {
    upstreams = await startUpstreams(specs);
    control = await fleet.control(['--listen', '127.0.0.1:0']);
    await applyMesh(control.url, meshYaml(specs, upstreams, { payments: 'routes:\n  - to: [{ labels: { version: v1 } }]' }));
    proxies = await Promise.all(['web-a', 'web-b'].map((id) => fleet.proxy(['--control', control.url, '--service', 'web', '--id', id], id)));
    await waitInSync(control.url, proxies);
  });
  after(async () => {
    await fleet.stopAll();
    for (const u of upstreams?.values() ?? []) await u.close();
    dir.remove();
  });

  it('exits 2 naming file:line:column, and no proxy changes: same version applied, same routes', async () => {
    const versionBefore = await desiredVersion(control.url);
    const routesBefore = await Promise.all(proxies.map(routesOn));
    // Valid YAML, and a mesh the proxies would otherwise take: only the address on line 7 is wrong.
    const bad = dir.file('bad.yaml', `${meshYaml(specs, upstreams)}  ledger:\n    instances:\n      - { id: l1, address: nowhere }\n`);
    const r = await fleet.exec(['mesh', 'apply', bad, '--control', control.url]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`^${escape(bad)}:7:28 services\\.ledger\\.instances\\[0\\]\\.address: "nowhere" is not host:port`));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');

    // The control plane refuses it too, for a client that skips the local check.
    const put = await call(control.url, 'PUT', '/v1/mesh', { text: readFileSync(bad, 'utf8'), file: 'bad.yaml' });
    assert.equal(put.status, 400);
    const body = put.json<{ code: string; errors: Array<{ file: string; line: number; column: number; field: string }> }>();
    assert.equal(body.code, 'CONFIG_INVALID');
    assert.deepEqual(body.errors.map((e) => [e.file, e.line, e.column, e.field]), [['bad.yaml', 7, 28, 'services.ledger.instances[0].address']]);
    assert.equal(await desiredVersion(control.url), versionBefore, 'nothing was stored');

    // A later change is a barrier: once every proxy applied it, a stored bad mesh would have reached them too.
    await addFault(control.url, { id: 'barrier', target: 'payments', match: { paths: ['/never'] }, abort: { status: 503 }, ttl: '60s' });
    const version = await waitInSync(control.url, proxies);
    assert.equal(version, versionBefore + 1, 'only the barrier changed the version');
    assert.deepEqual(await Promise.all(proxies.map(routesOn)), routesBefore, 'every proxy runs the same routes');
    for (const p of proxies) assert.equal((await healthOf(p)).ready, true);
    const status = (await call(control.url, 'GET', '/v1/status')).json<{ discrepancies: string[] }>();
    assert.deepEqual(status.discrepancies, [], 'and no proxy was asked to reject anything');
  });
});
