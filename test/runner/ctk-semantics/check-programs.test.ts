import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { formatIssue } from '../../../proxy/config/config-error.js';
import { checkPrograms, programIssues } from '../../../runner/experiment/check-programs.js';
import { tempDir } from '../../helpers/mesh-fixture.js';

describe('checking the programs of process providers before a run', () => {
  const dir = tempDir();
  after(() => dir.remove());
  const experiment = (body: string) => dir.file(`exp-${Math.random().toString(36).slice(2)}.yaml`, `title: t\n${body}`);

  it('names a program missing from PATH with file, line and provider.path', () => {
    const file = experiment('method:\n  - type: action\n    name: load\n    provider:\n      type: process\n      path: vegeta-not-installed\n      arguments: attack -rate 50\n');
    const issues = programIssues(file).map(formatIssue);
    assert.equal(issues.length, 1);
    assert.match(issues[0]!, new RegExp(`^${file}:7:13 method\\[0\\]\\.provider\\.path: "vegeta-not-installed" is not found on PATH \\(\\d+ directories searched\\): install it, or give its path$`));
  });

  it('finds process providers in every place an activity stands: hypothesis, rollbacks, safeguards and a probe tolerance', () => {
    const file = experiment(`steady-state-hypothesis:
  title: h
  probes:
    - { type: probe, name: p, tolerance: 0, provider: { type: process, path: no-such-a } }
method:
  - { type: probe, name: m, tolerance: { type: probe, name: t, provider: { type: process, path: no-such-b } }, provider: { type: process, path: sh } }
rollbacks:
  - { type: action, name: r, provider: { type: process, path: ./no-such-c } }
safeguards:
  - { type: probe, name: s, tolerance: 0, provider: { type: process, path: no-such-d } }
`);
    assert.deepEqual(
      programIssues(file).map((i) => i.field),
      ['steady-state-hypothesis.probes[0].provider.path', 'method[0].tolerance.provider.path', 'rollbacks[0].provider.path', 'safeguards[0].provider.path'],
    );
  });

  it('passes programs that exist, by name on PATH or by path', () => {
    const script = dir.file('ok.sh', '#!/bin/sh\n');
    chmodSync(script, 0o755);
    assert.deepEqual(programIssues(experiment(`method:\n  - { type: action, name: a, provider: { type: process, path: sh } }\n  - { type: action, name: b, provider: { type: process, path: "${script}" } }\n`)), []);
  });

  it('refuses a script that is not executable, saying how to fix it', () => {
    const script = dir.file('not-x.sh', '#!/bin/sh\n');
    const [issue] = programIssues(experiment(`method:\n  - { type: action, name: a, provider: { type: process, path: "${script}" } }\n`));
    assert.match(issue!.message, /is not executable: chmod \+x it, or run it through its interpreter/);
  });

  it('checks a path given as ${name} with its value, and leaves an undeclared name to the loader', () => {
    const file = experiment('configuration:\n  tool: sh\nmethod:\n  - { type: action, name: a, provider: { type: process, path: "${tool}" } }\n  - { type: action, name: b, provider: { type: process, path: "${undeclared}" } }\n');
    assert.deepEqual(programIssues(file), []);
    assert.deepEqual(programIssues(file, { vars: { tool: 'no-such-tool-given-by-var' } }).map((i) => i.field), ['method[0].provider.path']);
  });

  it('does not mistake data for a provider: an http body naming a process is sent, not checked', () => {
    const file = experiment('method:\n  - { type: action, name: a, provider: { type: http, url: "http://127.0.0.1:1/", method: POST, arguments: { provider: { type: process, path: no-such } } } }\n');
    assert.deepEqual(programIssues(file), []);
  });

  it('throws every problem of every file at once', () => {
    const a = experiment('method:\n  - { type: action, name: a, provider: { type: process, path: no-such-1 } }\n');
    const b = experiment('method:\n  - { type: action, name: b, provider: { type: process, path: no-such-2 } }\n');
    assert.throws(() => checkPrograms([a, b, a]), (err: Error & { issues?: unknown[] }) => err.issues?.length === 2 && /no-such-1/.test(err.message) && /no-such-2/.test(err.message));
  });
});
