import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommandFailure, errorDocument, errorReport, errorText, UsageError } from '../../cli/exit.js';
import { wantsJson } from '../../cli/json-output.js';
import { ConfigError } from '../../proxy/config/config-error.js';

describe('an error, as the user and --json see it', () => {
  const issue = { file: 'm.yaml', line: 3, column: 5, field: 'services', message: 'bad' };
  for (const [what, err, exitCode, code, text] of [
    ['a bad file', new ConfigError([issue]), 2, 'CONFIG_INVALID', 'm.yaml:3:5 services: bad\n1 error\n'],
    ['a bad flag', new UsageError('--ttl: give a duration'), 2, 'USAGE', 'faultmesh: --ttl: give a duration\n'],
    ['a refusal the command explained', new CommandFailure('http://x: unreachable', 'UNREACHABLE'), 1, 'UNREACHABLE', 'faultmesh: http://x: unreachable\n'],
    ['a port taken', Object.assign(new Error('listen EADDRINUSE 127.0.0.1:15000'), { code: 'EADDRINUSE' }), 1, 'EADDRINUSE', 'faultmesh: cannot listen: listen EADDRINUSE 127.0.0.1:15000\n'],
  ] as const) {
    it(`${what}: exit ${exitCode}, code ${code}, no stack trace`, () => {
      const r = errorReport(err);
      assert.deepEqual([r.exitCode, r.code, r.stack], [exitCode, code, undefined]);
      assert.equal(errorText(r), text);
      assert.equal(errorDocument(r).error.code, code);
    });
  }

  it('a bug keeps its stack in the text, and is INTERNAL with exit 1 in the document', () => {
    const r = errorReport(new TypeError('x is undefined'));
    assert.deepEqual([r.exitCode, r.code], [1, 'INTERNAL']);
    assert.match(errorText(r), /^faultmesh: TypeError: x is undefined\n\s+at /);
    assert.deepEqual(Object.keys(errorDocument(r).error), ['code', 'message'], 'no stack in the document');
  });

  it('a file error carries its issues into the document', () => {
    assert.deepEqual(errorDocument(errorReport(new ConfigError([issue]))).error.issues, [issue]);
  });

  it('--json is asked for by the flag before any --', () => {
    assert.equal(wantsJson(['status', '--json']), true);
    assert.equal(wantsJson(['status', '--json=true']), true);
    assert.equal(wantsJson(['run', 'x.yaml', '--', '--json']), false);
    assert.equal(wantsJson(['status']), false);
  });
});
