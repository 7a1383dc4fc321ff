import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/mesh-fixture.js';

// A mesh as `mesh apply` takes it: the v2 subset has no instance yet; one registers on the control plane later.
const AWAITING = `services:
  payments:
    instances:
      - { id: p1, address: 127.0.0.1:9301, labels: { version: v1 } }
    routes:
      - to:
          - { labels: { version: v1 }, weight: 90 }
          - { labels: { version: v2 }, weight: 10 }
`;

describe('faultmesh validate --registered', () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('refuses a subset without instances by default, and hints at --registered', async () => {
    const run = await runCli(['validate', dir.file('awaiting.yaml', AWAITING)]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /awaiting\.yaml:8:\d+ services\.payments\.routes\[0\]\.to\[1\]\.labels: no instance has labels \{"version":"v2"\}/);
    assert.match(run.stderr, /hint: for a mesh whose instances register on a control plane, use validate --registered/);
  });

  it('accepts it as the control plane does, printing the subset as a warning, and exits 0', async () => {
    const run = await runCli(['validate', '--registered', dir.file('awaiting-ok.yaml', AWAITING)]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /awaiting-ok\.yaml: ok \(mesh, 1 service\)/);
    assert.match(run.stderr, /^warning: .*awaiting-ok\.yaml:8:\d+ services\.payments\.routes\[0\]\.to\[1\]\.labels: no instance has labels \{"version":"v2"\} yet/m);
    assert.doesNotMatch(run.stderr, /hint:/);
  });

  it('applies to the --mesh file that fault targets are checked against', async () => {
    const mesh = dir.file('awaiting-mesh.yaml', AWAITING);
    const rule = dir.file('rule.yaml', 'target: catalog\nabort: { status: 503 }\nttl: 1m\n');
    const refused = await runCli(['validate', '--mesh', mesh, rule]);
    assert.equal(refused.code, 2, 'without --registered the mesh itself is refused');
    const run = await runCli(['validate', '--registered', '--mesh', mesh, rule]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /warning: .*rule\.yaml:1:\d+ .*no service "catalog" in .*awaiting-mesh\.yaml/);
  });
});
