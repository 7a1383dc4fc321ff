import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { printGoals, type RunFigures } from '../../bench/goals.js';
import type { Measured } from '../../bench/measure.js';

const m = (rps: number, p99: number, cpuUs: number, peakRssMiB = 100): Measured => ({ rps, p50: p99 / 3, p99, errors: 0, cpuUs, peakRssMiB });

/** A run in which every target but the workers one was measured. */
function figures(): RunFigures {
  return {
    closed: new Map([
      ['direct', m(40000, 1, 50)],
      ['reference', m(10000, 5, 0)],
      ['hpm-only', m(8000, 6, 0)],
      ['faultmesh', m(8500, 6, 0, 140)],
      ['faultmesh-hpm', m(6000, 8, 0)],
      ['faultmesh+1000', m(8400, 6, 0)],
    ]),
    open: new Map([
      ['direct', m(1000, 0.5, 50)],
      ['reference', m(1000, 1.5, 200)],
      ['hpm-only', m(1000, 2, 250)],
      ['faultmesh', m(1000, 1.7, 240)],
      ['faultmesh-hpm', m(1000, 2, 300)],
      ['faultmesh+1000', m(1000, 1.7, 260)],
    ]),
    idleRssMiB: new Map([['faultmesh', 78]]),
    afterLoadRssMiB: new Map([['faultmesh', 101], ['reference', 80]]),
    skipped: [{ name: 'faultmesh-w2', why: 'Unknown argument: workers' }],
    connections: 50,
    rate: 1000,
  };
}

function printed(t: TestContext, f: RunFigures): string[] {
  const log = t.mock.method(console, 'log', () => {});
  printGoals(f);
  return log.mock.calls.map((c) => String(c.arguments[0])).filter((l) => l.startsWith('- '));
}

describe("the bench's target lines", () => {
  it('prints one line per target of the issue, each ending met or NOT met', (t) => {
    const lines = printed(t, figures());
    assert.equal(lines.length, 9);
    for (const line of lines) assert.match(line, /: (met|NOT met)$/);
    const line = (start: string) => lines.find((l) => l.startsWith(`- ${start}`)) ?? assert.fail(`no line for ${start}`);
    assert.match(line('faultmesh (undici, one worker) vs reference'), /0\.85x .*: met$/);
    assert.match(line('faultmesh-hpm vs hpm-only'), /0\.75x .*: NOT met$/);
    assert.match(line('CPU per request'), /1\.20x .*: met$/);
    assert.match(line('added p99'), /faultmesh 1\.200 ms vs reference 1\.000 ms = 1\.20x .*: met$/);
    assert.match(line(`1000 non-matching rules, throughput`), /1\.2% lost .*: met$/);
    assert.match(line(`1000 non-matching rules, CPU`), /\+8\.3% .*: NOT met$/);
    assert.match(line('RSS idle'), /78\.0 MiB .*: met$/);
  });

  it('says a target whose process did not run is not met, and why', (t) => {
    const scaling = printed(t, figures()).find((l) => l.includes('scaling'));
    assert.equal(scaling, '- scaling at c50: faultmesh-w2 (2 workers) vs faultmesh (1 worker): faultmesh-w2 not run: Unknown argument: workers: NOT met');
  });

  it('does not call an added p99 met when the reference added nothing and faultmesh did', (t) => {
    const f = figures();
    const open = new Map(f.open);
    open.set('reference', m(1000, 0.4, 200));
    const added = printed(t, { ...f, open }).find((l) => l.includes('added p99'))!;
    assert.match(added, /no ratio .*: NOT met$/);
  });
});
