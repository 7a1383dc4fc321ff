import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { dashboardAttachment } from '../../../cli/commands/gameday.js';
import { loadGameday } from '../../../runner/gameday/load-gameday.js';
import { runGameday, type GamedayOptions } from '../../../runner/gameday/run-gameday.js';
import type { Journal } from '../../../runner/journal.js';
import { startTestControl, type TestControl } from '../../control/control-fixture.js';
import { fakeClock, gamedayFolder } from '../../helpers/gameday-fixture.js';

// The poller is set to look once a minute, so it never does: these halts must be seen by the game day itself.
describe('a game day on a control plane halted by hand', () => {
  const f = gamedayFolder();
  let control: TestControl;
  before(async () => (control = await startTestControl()));
  afterEach(async () => void (await control.call('POST', '/v1/resume')));
  after(async () => {
    await control.stop();
    f.dir.remove();
  });
  const order = () => readFileSync(f.log, 'utf8');
  let n = 0;
  const options = (extra: Partial<GamedayOptions> = {}): GamedayOptions => ({
    outDir: join(f.dir.path, `day-${++n}`),
    clock: fakeClock('2026-12-01T08:00:00Z'),
    interrupt: new AbortController().signal,
    events: () => ({}),
    log: () => {},
    pollMs: 60_000,
    leaseMs: 900,
    ...extra,
  });
  const hold = () =>
    f.dir.file(
      'hold-on-control.yaml',
      `title: holds a fault on the control plane
method:
  - { type: action, name: pay-503, provider: { type: fault, admin: "${control.url}", rule: { target: payments, abort: { status: 503 } }, duration: 30s } }
`,
    );

  for (const onFailure of ['continue', 'halt'] as const) {
    it(`halts at once when a run is stopped by a halt on the control plane (onFailure: ${onFailure}), with the run's halt time, and starts nothing after`, { timeout: 30_000 }, async () => {
      f.dir.file('order.log', '');
      // With `halt`, the halted run is the last one (case A); with `continue`, a second run waits behind it (case B).
      const second = onFailure === 'continue' ? `  - { experiment: mark.yaml, id: second, at: 2026-12-01T09:30, vars: { name: second } }\n` : '';
      const g = loadGameday(f.gameday(`gameday: Halted on the control plane\ntimezone: UTC\nonFailure: ${onFailure}\ncontrol: ${control.url}\nruns:\n  - { experiment: ${hold()}, id: hold, at: 2026-12-01T09:00 }\n${second}`));
      const state = await runGameday(g, options({ events: () => ({ faultInjected: () => void control.call('POST', '/v1/halt') }) }));
      const journal = JSON.parse(readFileSync(state.results.hold!.journal!, 'utf8')) as Journal;
      assert.equal(state.results.hold?.outcome, 'interrupted');
      assert.match(journal.stoppedBy ?? '', /an emergency halt on .* removed fault/);
      assert.deepEqual(state.haltedBy, { source: 'control', by: `a halt on the control plane ${control.url}`, at: journal.emergencyHalt!.at, admin: control.url });
      if (onFailure === 'continue') {
        assert.equal(order(), '', 'the second run did not start');
        assert.equal(state.results.second?.status, 'cancelled');
        assert.equal(state.results.second?.reason, `halted by a halt on the control plane ${control.url}`);
      }
    });
  }

  it('lists each run on the control plane\u2019s dashboard under the game day, finished, with its report', { timeout: 30_000 }, async () => {
    f.dir.file('order.log', '');
    const g = loadGameday(f.gameday(`gameday: Listed on the dashboard\ntimezone: UTC\ncontrol: ${control.url}\nruns:\n  - { experiment: mark.yaml, id: first, at: 2026-12-01T09:00, vars: { name: first } }\n`));
    // The dashboard's record is what the CLI attaches to each run (the runner does not know the control plane's UI).
    const o = options();
    const state = await runGameday(g, { ...o, attach: dashboardAttachment(g, o.outDir, undefined) });
    assert.equal(state.results.first?.status, 'done');
    const r = await control.call('GET', '/v1/runs');
    const runs = r.json<{ runs: Array<{ gameday?: string; state: string; report?: string }> }>().runs.filter((x) => x.gameday === 'Listed on the dashboard');
    assert.equal(runs.length, 1, r.text());
    assert.equal(runs[0]!.state, 'finished');
    assert.equal(runs[0]!.report, state.results.first!.report);
  });

  it('checks the halt state before a start, so a halt made just before is not raced', { timeout: 30_000 }, async () => {
    f.dir.file('order.log', '');
    await control.call('POST', '/v1/halt');
    const g = loadGameday(f.gameday(`gameday: Halted before\ntimezone: UTC\ncontrol: ${control.url}\nruns:\n  - { experiment: mark.yaml, id: first, at: 2026-12-01T09:00, vars: { name: first } }\n`));
    const state = await runGameday(g, options());
    assert.equal(order(), '', 'nothing ran');
    assert.equal(state.results.first?.status, 'cancelled');
    assert.equal(state.haltedBy?.admin, control.url);
    assert.equal(state.haltedBy?.source, 'control');
  });
});
