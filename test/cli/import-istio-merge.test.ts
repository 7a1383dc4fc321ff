import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseMeshAwaitingInstances } from '../../proxy/config/load-mesh.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/mesh-fixture.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/istio/${name}`, import.meta.url));
const SPLIT = [fixture('destination-rules.yaml'), fixture('reviews-90-10.yaml')];

describe('faultmesh import istio --merge into a mesh a proxy reads itself', () => {
  const dir = tempDir();
  after(() => dir.remove());
  // reviews v1 only: the 90/10 split also sends to v2.
  const base = dir.file('small.yaml', 'services:\n  reviews:\n    instances:\n      - { id: reviews-v1, address: 127.0.0.1:9101, labels: { version: v1 } }\n');

  it('refuses a route subset the base has no instance for, as the proxy would, where the Istio file names it, exits 2 and writes nothing', async () => {
    const out = `${dir.path}/refused.yaml`;
    const run = await runCli(['import', 'istio', ...SPLIT, fixture('ratings-test-abort.yaml'), '--merge', base, '--out', out, '--faults-out', `${dir.path}/refused-faults.yaml`]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(
      run.stderr,
      /reviews-90-10\.yaml:17:21 spec\.http\[0\]\.route\[1\]\.destination\.subset: subset v2 of reviews \(labels \{ version: v2 \}\) has no instance in .*small\.yaml, and a proxy reading the merged mesh refuses a route to it: add an instance with labels: \{ version: v2 \} to services\.reviews\.instances in .*small\.yaml, or, if the mesh is for a control plane where instances register \(faultmesh mesh apply\), import with --registered/,
    );
    assert.match(run.stderr, /ratings-test-abort\.yaml:\d+:\d+ spec\.http\[0\]\.route\[0\]\.destination\.subset: subset v1 of ratings/, 'ratings has no instance in the base at all: each of its two routes is named');
    assert.match(run.stderr, /\n3 errors; nothing written\n$/);
    assert.equal(existsSync(out), false);
    assert.equal(existsSync(`${dir.path}/refused-faults.yaml`), false);
  });

  it('with --registered, writes it for a control plane, warning that the subset waits for instances to register', async () => {
    const out = `${dir.path}/registered.yaml`;
    const run = await runCli(['import', 'istio', ...SPLIT, '--merge', base, '--out', out, '--registered']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /registered\.yaml:\d+:\d+ services\.reviews\.routes\[0\]\.to\[1\]\.labels: warning: no instance has labels \{"version":"v2"\} yet \(it waits for instances to register\)/);
    assert.deepEqual(parseMeshAwaitingInstances(readFileSync(out, 'utf8'), out).warnings.length, 1);
  });

  it("keeps the warning for a base that lists no instance (a control plane's mesh)", async () => {
    const empty = dir.file('control.yaml', 'services:\n  reviews: { instances: [] }\n');
    const run = await runCli(['import', 'istio', ...SPLIT, '--merge', empty]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /warning: no instance has labels \{"version":"v1"\} yet/);
  });

  it('refuses --registered without --merge, which has nothing to change', async () => {
    const run = await runCli(['import', 'istio', ...SPLIT, '--registered']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--registered is for --merge/);
  });
});

describe('faultmesh import and faults add, of files they cannot use', () => {
  it('names the one format import knows, not the first file as an unknown argument', async () => {
    const run = await runCli(['import', 'kubernetes', 'x.yaml']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /import knows one format: istio \(not "kubernetes"\); e\.g\. faultmesh import istio FILE\.\.\./);
    assert.doesNotMatch(run.stderr, /Unknown argument/);
  });

  it('says a file of DestinationRules holds no VirtualService, and that a DestinationRule has no faults', async () => {
    const run = await runCli(['faults', 'add', fixture('destination-rules.yaml'), '--admin', 'http://127.0.0.1:9']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /destination-rules\.yaml:1:1 holds no VirtualService, only DestinationRules: a DestinationRule has no faults, so there is nothing to add/);
    assert.doesNotMatch(run.stderr, /no route of its VirtualServices/);
  });
});
