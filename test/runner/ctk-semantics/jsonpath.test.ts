import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { describeResult, judgedSummary } from '../../../runner/activity.js';
import { loadExperiment } from '../../../runner/experiment/load-experiment.js';
import type { Activity } from '../../../runner/experiment/activity-schema.js';
import { toleranceSchema, type Tolerance } from '../../../runner/experiment/tolerance-schema.js';
import type { ActivityRecord } from '../../../runner/journal.js';
import { jsonpathMatches, withinTolerance } from '../../../runner/tolerance.js';
import { tempDir } from '../../helpers/mesh-fixture.js';

type JsonPath = Extract<Tolerance, { type: 'jsonpath' }>;
const jsonpath = (t: Record<string, unknown>) => toleranceSchema.parse({ type: 'jsonpath', ...t }) as JsonPath;
const http = (body: unknown, status = 200) => ({ status, headers: { 'content-type': 'text/plain' }, body });
const proc = (stdout: string) => ({ status: 0, stdout, stderr: '' });

describe('a jsonpath tolerance, judged as Chaos Toolkit judges it', () => {
  const cases: Array<[string, Record<string, unknown>, unknown, boolean]> = [
    ['count 0 on a body that is not JSON is met: nothing matches', { path: '$.errors[*]', count: 0 }, http('<html>maintenance</html>'), true],
    ['count 0 on stdout that is not JSON is met', { path: '$.errors', count: 0 }, proc('all good\n'), true],
    ['count 1 on a body that is not JSON is not met', { path: '$.errors', count: 1 }, http('not json'), false],
    ['a path on a body that is not JSON matches nothing', { path: '$.version' }, http('plain text'), false],
    ['$.status beside a body that is not JSON is the output\'s status, as Chaos Toolkit reads it', { path: '$.status', expect: 500 }, http('plain text', 500), true],
    ['$ on a body that is not JSON matches the text itself', { path: '$', expect: 'pong' }, http('pong'), true],
    ['an empty expected list on a body that is not JSON is met', { path: '$.items[*]', expect: [] }, http('not json'), true],
    ['a body that is JSON text is parsed first', { path: '$.ok', expect: true }, http('{"ok": true}'), true],
    ['a single expected value is the one match', { path: '$.items[*].id', expect: 1 }, http({ items: [{ id: 1 }] }), true],
    ['a single expected value is not two matches', { path: '$.items[*].id', expect: 1 }, http({ items: [{ id: 1 }, { id: 1 }] }), false],
    ['an expected list is the whole list of matches, in order', { path: '$.items[*].id', expect: [1, 2] }, http({ items: [{ id: 1 }, { id: 2 }] }), true],
    ['an expected list in another order is not met', { path: '$.items[*].id', expect: [2, 1] }, http({ items: [{ id: 1 }, { id: 2 }] }), false],
    ['an expected mapping equals whatever its keys\' order', { path: '$.owner', expect: { b: 2, a: 1 } }, http({ owner: { a: 1, b: 2 } }), true],
    ['expect wins over count, as in chaoslib', { path: '$.n', expect: 5, count: 0 }, http({ n: 5 }), true],
    ['expect: null is a value to expect', { path: '$.next', expect: null }, http({ next: null }), true],
    ['target picks the field to read', { path: '$.a', expect: 1, target: 'body' }, http({ a: 1 }), true],
    ['a path into the output ($.body...) is read as Chaos Toolkit reads it, without target', { path: '$.body.items[*]', count: 2 }, http({ items: [1, 2] }), true],
    ['$.status of a body that has one is the body\'s', { path: '$.status', expect: 'up' }, http({ status: 'up' }), true],
    ['$.status of a body that has none is the output\'s, as Chaos Toolkit reads it', { path: '$.status', expect: 503 }, http({ items: [] }, 503), true],
  ];
  for (const [what, t, output, expected] of cases) {
    it(`${what}`, () => {
      assert.equal(withinTolerance(jsonpath(t), output), expected);
    });
  }

  it('lists what the path matched', () => {
    assert.deepEqual(jsonpathMatches(jsonpath({ path: '$.items[*].id' }), http({ items: [{ id: 'a' }, { id: 'b' }] })), ['a', 'b']);
    assert.deepEqual(jsonpathMatches(jsonpath({ path: '$.x' }), http('text')), []);
  });
});

describe('a jsonpath tolerance in an experiment file', () => {
  const dir = tempDir();
  after(() => dir.remove());
  const load = (path: string) => loadExperiment(dir.file(`e-${Math.random().toString(36).slice(2)}.yaml`, `title: t\nmethod:\n  - { type: probe, name: p, tolerance: { type: jsonpath, path: "${path}", count: 0 }, provider: { type: process, path: "true" } }\n`));

  it('is refused at validation when its path cannot be read, not when the probe runs', () => {
    assert.throws(() => load('$[?(@.a'), /:3:\d+ method\[0\]\.tolerance\.path: not a JSONPath faultmesh can read/);
    assert.throws(() => load('items[*]'), /method\[0\]\.tolerance\.path: a JSONPath starts with \$, e\.g\. \$\.items\[\*\]\.id/);
    assert.equal(load('$.items[?(@.price < 10)]').method.length, 1);
  });
});

describe('what progress and verdicts say of a jsonpath probe', () => {
  const record = (t: Record<string, unknown>, output: unknown): ActivityRecord => {
    const tolerance = jsonpath(t);
    return {
      activity: { type: 'probe', name: 'health', tolerance, provider: { type: 'http', url: 'http://127.0.0.1:1/', method: 'GET', verify_tls: true }, background: false } as Activity,
      section: 'hypothesis',
      status: 'succeeded',
      start: '',
      end: '',
      duration: 0.01,
      output,
      tolerance: `$.status = ${JSON.stringify(t.expect)}`,
      tolerance_met: withinTolerance(tolerance, output),
    } as ActivityRecord;
  };

  it('shows what the path matched, not only the status', () => {
    assert.equal(describeResult(record({ path: '$.status', expect: 'up' }, http({ status: 'up' }))), '$.status matched ["up"] ✓ (tolerance $.status = "up")');
    assert.equal(describeResult(record({ path: '$.status', expect: 'up' }, http({ status: 'down' }))), '$.status matched ["down"] ✗ (tolerance $.status = "up")');
  });

  it('says when the path matched nothing, and keeps a long match short', () => {
    assert.match(describeResult(record({ path: '$.errors[*]', count: 0 }, http('not json'))), /^\$\.errors\[\*\] matched nothing ✓/);
    const long = describeResult(record({ path: '$.items[*]' }, http({ items: Array.from({ length: 50 }, (_, i) => `item-${i}`) })));
    assert.ok(long.length < 140, long);
    assert.match(long, /matched \["item-0","item-1",.*\.\.\. ✓/);
  });

  it('names the matches and the path in a verdict\'s "returned ..."', () => {
    assert.equal(judgedSummary(record({ path: '$.status', expect: 'up' }, http({ status: 'down' }))), '["down"] at $.status');
  });
});
