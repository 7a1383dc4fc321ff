import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/mesh-fixture.js';

// Every command that reads a user's file says the same when it is not there:
// `nope.yaml: file not found`, exit 2, no position (`:0:0`) and no stack.
describe('a missing file, whichever command reads it', () => {
  const dir = tempDir();
  after(() => dir.remove());
  const nope = join(dir.path, 'nope.yaml');
  const pem = join(dir.path, 'nope.pem');
  const commands: ReadonlyArray<readonly [string, readonly string[], string]> = [
    ['validate (a mesh, an experiment, rules...)', ['validate', nope], nope],
    ['run (an experiment)', ['run', nope], nope],
    ['gameday plan', ['gameday', 'plan', nope], nope],
    ['canary run', ['canary', 'run', nope], nope],
    ['faults add (rules)', ['faults', 'add', nope, '--admin', 'http://127.0.0.1:1'], nope],
    ['import istio', ['import', 'istio', nope, '--out', join(dir.path, 'out.yaml')], nope],
    ['toxiproxy --config', ['toxiproxy', '--config', nope, '--check'], nope],
    ['proxy --mesh', ['proxy', '--mesh', nope, '--check'], nope],
    ['mesh apply', ['mesh', 'apply', nope, '--control', 'http://127.0.0.1:1'], nope],
    ['proxy --cert (a certificate)', ['proxy', '--mesh', 'experiments/mesh.yaml', '--cert', pem, '--key', pem, '--ca', pem, '--check'], pem],
  ];

  for (const [name, args, file] of commands) {
    it(`says "file not found" for ${name}`, async () => {
      const run = await runCli([...args]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: file not found$`, 'm'));
      assert.doesNotMatch(run.stderr, /:0:0|ENOENT/);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    });
  }
});
