import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MESH, startTestControl, type TestControl } from '../control/control-fixture.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/mesh-fixture.js';

const TOKEN = 'control-secret';

describe('the CLI commands that talk to the control plane check --control and the token first', () => {
  let control: TestControl;
  const dir = tempDir();
  let mesh: string;
  before(async () => {
    control = await startTestControl({ token: TOKEN });
    mesh = dir.file('mesh.yaml', MESH);
  });
  after(async () => {
    await control.stop();
    dir.remove();
  });
  const commands = () => [['status'], ['mesh', 'apply', mesh], ['mesh', 'get'], ['mesh', 'diff', mesh]];

  for (const [what, token, env, message] of [
    ['--token ""', ['--token', ''], {}, /^faultmesh: --token is blank: give the token the control plane was started with, or none for one without a token$/m],
    ['--token " "', ['--token', ' '], {}, /^faultmesh: --token is blank/m],
    ['a blank FAULTMESH_CONTROL_TOKEN', [], { FAULTMESH_CONTROL_TOKEN: ' ' }, /^faultmesh: FAULTMESH_CONTROL_TOKEN is blank/m],
  ] as const) {
    it(`refuses ${what} with exit 2 in status and mesh apply, get and diff, and sends nothing`, async () => {
      for (const command of commands()) {
        const r = await runCli([...command, '--control', control.url, ...token], undefined, env);
        assert.equal(r.code, 2, `${command.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, message, command.join(' '));
        assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      }
      assert.equal((await control.call('GET', '/v1/mesh')).status, 404, 'mesh apply sent nothing');
    });
  }

  for (const [what, value, message] of [
    ['host:port without http://', '127.0.0.1:27101', /--control: "127\.0\.0\.1:27101" is not a URL \(for example http:\/\/127\.0\.0\.1:15100\)/],
    ['a URL with a path', 'http://127.0.0.1:27101/v1', /--control: "http:\/\/127\.0\.0\.1:27101\/v1" must name the control plane only \(http:\/\/host:port\)/],
    ['a list of replicas', 'http://127.0.0.1:27101,http://127.0.0.1:27102', /--control: ".*" is a list: give one control-plane URL \(http:\/\/host:port\); any replica will do/],
  ] as const) {
    it(`refuses ${what} as --control with exit 2, naming the flag, in status, mesh and faults`, async () => {
      for (const command of [...commands(), ['faults', 'list']]) {
        const r = await runCli([...command, '--control', value]);
        assert.equal(r.code, 2, `${command.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, message, command.join(' '));
        assert.doesNotMatch(r.stderr, /unreachable|\n\s+at /, 'a flag error, not a run-time one');
      }
    });
  }

  it('names FAULTMESH_CONTROL when the bad URL comes from there', async () => {
    const r = await runCli(['status'], undefined, { FAULTMESH_CONTROL: 'http://127.0.0.1:1,http://127.0.0.1:2' });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^faultmesh: FAULTMESH_CONTROL: ".*" is a list: give one control-plane URL/m);
  });

  it('still works with one good URL and the right token', async () => {
    const r = await runCli(['status', '--control', `${control.url}/`, '--token', TOKEN]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /no proxies connected/);
  });
});
