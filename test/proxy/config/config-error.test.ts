import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ConfigError, formatIssue, MAX_LISTED_ISSUES } from '../../../proxy/config/config-error.js';
import { loadExperiment } from '../../../runner/experiment/load-experiment.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/mesh-fixture.js';

describe('how a file problem is printed', () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('prints file:line:column for a place in the file, and just the file for the whole file (line 0)', () => {
    assert.equal(formatIssue({ file: 'mesh.yaml', line: 3, column: 7, field: 'services.a', message: 'bad' }), 'mesh.yaml:3:7 services.a: bad');
    assert.equal(formatIssue({ file: 'mesh.yaml', line: 0, column: 0, field: '', message: 'file not found' }), 'mesh.yaml: file not found');
  });

  it('names a missing file without a made-up :0:0, on the command line too', async () => {
    const r = await runCli(['validate', `${dir.path}/nowhere.yaml`]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`^${dir.path}/nowhere\\.yaml: file not found$`, 'm'));
    assert.doesNotMatch(r.stderr, /:0:0/);
  });

  it(`lists the first ${MAX_LISTED_ISSUES} problems of a file with thousands, then how many more, without crashing`, async () => {
    // 200 000 values that are each wrong: every one is an error.
    const file = dir.file('dense.yaml', `title: t\nmethod: [${Array(200_000).fill('1').join(',')}]\n`);
    assert.throws(
      () => loadExperiment(file),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.issues.length, MAX_LISTED_ISSUES + 1);
        assert.equal(formatIssue(err.issues.at(-1)!), `${file}: and ${200_000 - MAX_LISTED_ISSUES} more errors, not listed`);
        return true;
      },
    );
    const r = await runCli(['validate', file]);
    assert.equal(r.code, 2, r.stderr.slice(-500));
    assert.doesNotMatch(r.stderr, /RangeError|at Object/, 'no stack trace');
    assert.ok(r.stderr.split('\n').length < MAX_LISTED_ISSUES + 10);
  });
});
