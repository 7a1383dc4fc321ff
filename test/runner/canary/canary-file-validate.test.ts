import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inspectFile, unknownTargetWarnings } from '../../../cli/commands/validate.js';
import { ConfigError } from '../../../proxy/config/config-error.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/mesh-fixture.js';

const example = (name: string) => fileURLToPath(new URL(`../../../experiments/${name}`, import.meta.url));
const dir = tempDir();
after(() => dir.remove());

describe('validate on canary files', () => {
  it('accepts the demo canaries and sums each up with its steps and chaos stages', () => {
    const catalog = inspectFile(example('canary-catalog-v2.yaml'));
    assert.equal(catalog.kind, 'canary');
    assert.equal(catalog.summary, 'canary "catalog-v2" for catalog, steps 10→50');
    const payments = inspectFile(example('canary-payments-v2.yaml'));
    assert.equal(payments.summary, 'canary "payments-v2" for payments, steps 10→50, chaos at 10%');
    assert.deepEqual(
      payments.targets.map((t) => t.target),
      ['payments'],
      'the chaos experiment\'s fault target is checked against the mesh like any other',
    );
  });

  it('warns about a chaos fault aimed at a service no mesh declares, at the experiment\'s line', () => {
    const mesh = dir.file('mesh.yaml', 'services:\n  catalog:\n    instances:\n      - { id: c1, address: 127.0.0.1:9301 }\n');
    dir.file('chaos.yaml', 'title: slow\nmethod:\n  - type: action\n    name: slow\n    provider: { type: fault, admin: http://127.0.0.1:1, rule: { target: catalgo, delay: { fixed: 100ms } }, duration: 5s }\n');
    const canary = dir.file('canary.yaml', 'name: c\nservice: catalog\nstable: { version: v1 }\ncanary: { version: v2 }\nsteps: [10]\ninterval: 5s\nchaos: [{ at: 10, experiment: chaos.yaml }]\n');
    const found = inspectFile(canary);
    const warnings = unknownTargetWarnings([{ file: mesh, services: inspectFile(mesh).services }], found.targets);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /chaos\.yaml:5:\d+ method\[0\]\.provider\.rule\.target: no service "catalgo"/);
  });

  it('refuses a bad canary with its line and field, as a ConfigError', () => {
    const bad = dir.file('bad.yaml', 'name: c\nservice: catalog\nstable: { version: v1 }\ncanary: { version: v2 }\nsteps: [10, 10]\ninterval: 5s\n');
    assert.throws(
      () => inspectFile(bad),
      (err: unknown) => err instanceof ConfigError && err.message === `${bad}:5:13 steps[1]: steps increase strictly: 10 does not follow 10`,
    );
  });

  it('exits 0 on the demo canaries and 2 on a bad one, from the command line', async () => {
    const ok = await runCli(['validate', example('canary-catalog-v2.yaml'), example('canary-payments-v2.yaml')]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /canary-payments-v2\.yaml: ok \(canary "payments-v2" for payments, steps 10→50, chaos at 10%\)/);
    const bad = dir.file('same.yaml', 'name: c\nservice: catalog\nstable: { version: v1 }\ncanary: { version: v1 }\nsteps: [10]\ninterval: 5s\n');
    const refused = await runCli(['validate', bad]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /same\.yaml:4:9 canary: the canary's labels are the stable's/);
    assert.doesNotMatch(refused.stderr, /\n\s+at /, 'no stack trace');
  });
});
