import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestControl, type TestControl } from '../control/control-fixture.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/mesh-fixture.js';

describe('the faults CLI with a blank token', () => {
  let control: TestControl;
  const dir = tempDir();
  before(async () => (control = await startTestControl()));
  after(async () => {
    await control.stop();
    dir.remove();
  });

  it('refuses --token "" with exit 2, naming the flag, and sends nothing', async () => {
    const halt = await runCli(['faults', 'halt', '--control', control.url, '--token', '']);
    assert.equal(halt.code, 2, halt.stderr);
    assert.match(halt.stderr, /^faultmesh: --token is blank: give the token the control plane was started with/m);
    assert.doesNotMatch(halt.stderr, /\n\s+at /, 'no stack trace');
    assert.equal((await control.call('GET', '/healthz')).json<{ halted: boolean }>().halted, false, 'the halt was not sent');
    const add = await runCli(['faults', 'add', dir.file('rule.yaml', 'target: payments\nabort: { status: 503 }\nttl: 1m\n'), '--control', control.url, '--token', ' ']);
    assert.equal(add.code, 2, add.stderr);
    assert.match(add.stderr, /--token is blank/);
    assert.deepEqual((await control.call('GET', '/v1/faults')).json<{ faults: unknown[] }>().faults, []);
  });

  it('refuses a blank FAULTMESH_CONTROL_TOKEN the same way, naming it', async () => {
    const run = await runCli(['faults', 'list', '--control', control.url], undefined, { FAULTMESH_CONTROL_TOKEN: '' });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /FAULTMESH_CONTROL_TOKEN is blank/);
  });
});
