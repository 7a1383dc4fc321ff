import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toleranceSchema, type Tolerance } from '../../runner/experiment/tolerance-schema.js';
import { describeTolerance, withinTolerance } from '../../runner/tolerance.js';

const http = (status: number, body: unknown) => ({ status, headers: { 'content-type': 'application/json' }, body });
const proc = (status: number, stdout: string) => ({ status, stdout, stderr: '' });

// [tolerance as written, output, expected]
const table: Array<[unknown, unknown, boolean]> = [
  [200, http(200, 'ok'), true],
  [200, http(503, 'no'), false],
  [0, proc(0, 'done'), true],
  [0, proc(1, 'done'), false],
  [true, true, true],
  ['ready', 'ready', true],
  ['ready', 'not ready', false],
  [[200, 201, 204], http(204, ''), true],
  [[200, 201, 204], http(500, ''), false],
  [['a', 'b'], 'b', true],
  [[1, 5], 3, true], // two numbers against a bare number: a range, as Chaos Toolkit reads it
  [[1, 5], 7, false],
  [{ type: 'range', range: [0.99, 1] }, 0.995, true],
  [{ type: 'range', range: [0.99, 1] }, 0.98, false],
  [{ type: 'range', range: [200, 299], target: 'status' }, http(204, ''), true],
  [{ type: 'threshold', min: 0.99 }, 0.99, true],
  [{ type: 'threshold', min: 0.99 }, 0.5, false],
  [{ type: 'threshold', max: 250 }, 300, false],
  [{ type: 'threshold', max: 250, target: 'p99' }, { p99: 120 }, true],
  [{ type: 'threshold', max: 250, target: 'latencyMs.p99' }, { latencyMs: { p99: 300 } }, false],
  [{ type: 'regex', pattern: '^ok' }, http(200, 'ok then'), true],
  [{ type: 'regex', pattern: 'error' }, proc(0, 'all fine'), false],
  [{ type: 'regex', pattern: 'warn', target: 'stderr' }, { status: 0, stdout: '', stderr: 'warn: x' }, true],
  [{ type: 'jsonpath', path: '$.items[*]', count: 2 }, http(200, { items: [1, 2] }), true],
  [{ type: 'jsonpath', path: '$.items[*]', count: 3 }, http(200, { items: [1, 2] }), false],
  [{ type: 'jsonpath', path: '$.status', expect: 'up' }, http(200, { status: 'up' }), true],
  [{ type: 'jsonpath', path: '$.status', expect: 'up' }, http(200, { status: 'down' }), false],
  [{ type: 'jsonpath', path: '$.status', expect: 'up' }, proc(0, '{"status":"up"}'), true], // stdout parsed as JSON
  [{ type: 'jsonpath', path: '$.missing' }, http(200, { status: 'up' }), false],
];

describe('tolerances', () => {
  for (const [written, output, expected] of table) {
    const tolerance = toleranceSchema.parse(written) as Tolerance;
    it(`${describeTolerance(tolerance)} ${expected ? 'accepts' : 'refuses'} ${JSON.stringify(output)}`, () => {
      assert.equal(withinTolerance(tolerance, output), expected);
    });
  }
});
