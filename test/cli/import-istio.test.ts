import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseMesh } from '../../proxy/config/load-mesh.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/mesh-fixture.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/istio/${name}`, import.meta.url));
const BOOKINFO = ['destination-rules.yaml', 'ratings-test-abort.yaml', 'reviews-90-10.yaml'].map(fixture);

describe('faultmesh import istio', () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('prints the mesh on stdout, says on stderr what it read and that the faults were not written, and exits 0', async () => {
    const run = await runCli(['import', 'istio', ...BOOKINFO]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^# Translated from Istio by faultmesh import istio/);
    assert.match(run.stdout, /reviews:\n\s+# from VirtualService reviews \(.*reviews-90-10\.yaml:2\), DestinationRule reviews/);
    assert.match(run.stderr, /the VirtualServices hold 1 fault rule, not written: give --faults-out FILE/);
    assert.match(run.stderr, /import: 2 VirtualServices and 4 DestinationRules → 4 services, 1 fault rule; 0 fields not translated, 0 notes/);
    const mesh = dir.file('stdout.yaml', run.stdout);
    const validate = await runCli(['validate', mesh]);
    assert.equal(validate.code, 0, validate.stderr);
    assert.match(validate.stdout, /ok \(mesh, 4 services \(no instances: checked as for a control plane, where they register\)\)/);
  });

  it('writes --out and --faults-out, which validate takes as a mesh and a rules file', async () => {
    const out = `${dir.path}/mesh.yaml`;
    const faults = `${dir.path}/faults.yaml`;
    const run = await runCli(['import', 'istio', ...BOOKINFO, '--out', out, '--faults-out', faults, '--ttl', '2m']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /wrote .*mesh\.yaml and .*faults\.yaml/);
    assert.match(readFileSync(faults, 'utf8'), /# from the fault at .*ratings-test-abort\.yaml:16\n- id: ratings-0\n  target: ratings\n  match: \{ headers: \{ end-user: jason \} \}\n  percentage: 100\n  abort: \{ status: 500 \}\n  ttl: 2m/);
    const validate = await runCli(['validate', out, faults]);
    assert.equal(validate.code, 0, validate.stderr);
    assert.match(validate.stdout, /faults\.yaml: ok \(1 fault rule\)/);
  });

  it('names every field it cannot translate with file:line:column, and with --strict writes nothing and exits 2', async () => {
    const vs = dir.file(
      'hashing.yaml',
      `apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: { name: ratings }
spec:
  host: ratings
  trafficPolicy:
    loadBalancer:
      consistentHash: { httpCookie: { name: user, ttl: 0s } }
`,
    );
    const loose = await runCli(['import', 'istio', vs]);
    assert.equal(loose.code, 0, loose.stderr);
    assert.match(loose.stderr, /hashing\.yaml:8:7 spec\.trafficPolicy\.loadBalancer\.consistentHash: not translated: faultmesh has no session affinity/);
    const out = `${dir.path}/strict.yaml`;
    const strict = await runCli(['import', 'istio', vs, '--strict', '--out', out]);
    assert.equal(strict.code, 2, strict.stderr);
    assert.match(strict.stderr, /import: 1 field not translated \(--strict\); nothing written/);
    assert.equal(existsSync(out), false);
  });

  it('refuses invalid Istio with exit 2, every error placed, and writes nothing', async () => {
    const bad = dir.file('bad.yaml', 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: r }\nspec:\n  hosts: [ratings]\n  http:\n    - route: [{ destination: { host: ratings }, weight: ten }]\n');
    const run = await runCli(['import', 'istio', bad]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /bad\.yaml:7:\d+ spec\.http\[0\]\.route\[0\]\.weight: weight is a number, not "ten"\n1 error; nothing written/);
    assert.equal(run.stdout, '');
  });

  it('merges into a mesh file: its instances, comments and other services stay, imported services get routes and policies', async () => {
    const base = dir.file(
      'base.yaml',
      `# our local mesh
services:
  reviews:
    policy: { timeout: 2s, outlierDetection: { consecutive5xx: 3 } }   # ours
    instances:
      - { id: reviews-v1, address: 127.0.0.1:9101, labels: { version: v1 } }
      - { id: reviews-v2, address: 127.0.0.1:9102, labels: { version: v2 } }
  frontend:
    instances: [{ id: fe, address: 127.0.0.1:9200 }]
`,
    );
    const out = `${dir.path}/merged.yaml`;
    const run = await runCli(['import', 'istio', fixture('destination-rules.yaml'), fixture('reviews-90-10.yaml'), '--merge', base, '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    const text = readFileSync(out, 'utf8');
    assert.match(text, /^# our local mesh/);
    // A proxy's own check (not a control plane's): every route subset has an instance.
    const mesh = parseMesh(text, out);
    assert.deepEqual(mesh.services.reviews!.instances.map((i) => i.id), ['reviews-v1', 'reviews-v2']);
    assert.deepEqual(mesh.services.reviews!.routes[0]!.to, [{ labels: { version: 'v1' }, weight: 90 }, { labels: { version: 'v2' }, weight: 10 }]);
    assert.equal(mesh.services.reviews!.policy.loadBalancer, 'least-request', "from the DestinationRule");
    assert.equal(mesh.services.reviews!.policy.timeout, 2000, 'a key the Istio files do not set stays');
    assert.equal(mesh.services.reviews!.policy.outlierDetection.consecutive5xx, 3, "Istio's implied default does not override the file's own");
    assert.ok(mesh.services.frontend, 'a service the import does not name stays');
    assert.doesNotMatch(run.stderr, /warning:/, 'every subset of the merged routes has an instance');
  });
});

describe('faultmesh faults add of an Istio file, refused before anything is sent', () => {
  const dir = tempDir();
  after(() => dir.remove());
  // Nothing listens here: a refusal must come before any request.
  const NOWHERE = 'http://127.0.0.1:9';

  it('refuses a fault it cannot translate exactly, with file:line:column, and exits 2', async () => {
    const text = readFileSync(fixture('ratings-test-abort.yaml'), 'utf8').replace('exact: jason', 'regex: "jas.*"');
    const run = await runCli(['faults', 'add', dir.file('regex.yaml', text), '--admin', NOWHERE]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /regex\.yaml:14:\d+ spec\.http\[0\]\.match\[0\]\.headers\.end-user: not translated: faultmesh matches headers by exact value only/);
    assert.doesNotMatch(run.stderr, /unreachable/);
  });

  it('refuses a VirtualService with no fault, and --ttl with a faultmesh rule file', async () => {
    const none = await runCli(['faults', 'add', fixture('reviews-90-10.yaml'), '--admin', NOWHERE]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /reviews-90-10\.yaml:1:1 no route of its VirtualService has a fault, so there is nothing to add/);
    const rule = dir.file('rule.yaml', 'target: payments\nreset: true\nttl: 10s\n');
    const ttl = await runCli(['faults', 'add', rule, '--ttl', '1m', '--admin', NOWHERE]);
    assert.equal(ttl.code, 2);
    assert.match(ttl.stderr, /--ttl is for Istio files and rules given as flags: a faultmesh rule file gives its own ttl/);
    assert.doesNotMatch(ttl.stderr, /\n\s+at /, 'a usage error, not a stack trace');
  });
});

