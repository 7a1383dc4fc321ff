import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Clock } from '../../../runner/gameday/clock.js';
import { readState, writeState } from '../../../runner/gameday/gameday-state.js';
import { requestHalt } from '../../../runner/gameday/halt.js';
import { loadGameday } from '../../../runner/gameday/load-gameday.js';
import { runGameday, type GamedayOptions } from '../../../runner/gameday/run-gameday.js';
import { AUTH, startFaultFixture, TOKEN, type FaultFixture } from '../../helpers/fault-fixture.js';
import { fakeClock, gamedayFolder } from '../../helpers/gameday-fixture.js';
import { send } from '../../helpers/http-client.js';

describe('running a game day', () => {
  const f = gamedayFolder();
  let mesh: FaultFixture;
  before(async () => (mesh = await startFaultFixture({ timeoutMs: 2000 })));
  after(async () => {
    await mesh.stop();
    f.dir.remove();
  });
  const order = () => readFileSync(f.log, 'utf8');
  const resetLog = () => f.dir.file('order.log', '');
  let n = 0;
  const options = (clock: Clock = fakeClock('2026-12-01T08:00:00Z'), extra: Partial<GamedayOptions> = {}): GamedayOptions => ({
    outDir: join(f.dir.path, `day-${++n}`),
    clock,
    interrupt: new AbortController().signal,
    events: () => ({}),
    log: () => {},
    pollMs: 50,
    leaseMs: 2000,
    token: TOKEN,
    ...extra,
  });

  it('starts each run on time and in order, chains `after`, respects the window and maxRuns', async () => {
    resetLog();
    const g = loadGameday(
      f.gameday(`gameday: On time
timezone: Europe/Berlin
window: { start: 2026-12-01T09:00, end: 2026-12-01T10:00 }
runs:
  - { experiment: mark.yaml, id: abort, at: 2026-12-01T09:15, vars: { name: abort } }
  - { experiment: mark.yaml, id: latency, cron: "*/20 * * * *", maxRuns: 2, vars: { name: latency } }
  - { experiment: mark.yaml, id: failover, after: abort, vars: { name: failover } }
  - { experiment: mark.yaml, id: late, at: 2026-12-01T11:00, vars: { name: late } }
`),
    );
    const clock = fakeClock('2026-12-01T07:30:00Z');
    const state = await runGameday(g, options(clock));
    assert.equal(order(), 'latency;abort;failover;latency;');
    const started = (key: string) => state.results[key]?.startedAt?.slice(0, 16);
    assert.equal(started('latency-1'), '2026-12-01T08:00', 'the window opens at 09:00 Berlin');
    assert.equal(started('abort'), '2026-12-01T08:15');
    assert.equal(started('failover'), '2026-12-01T08:15', 'right after abort ends');
    assert.equal(started('latency-2'), '2026-12-01T08:20');
    assert.equal(state.results['latency-3'], undefined, 'maxRuns 2');
    assert.equal(state.results.late?.status, 'skipped');
    assert.match(state.results.late!.reason!, /outside the window/);
    assert.equal(state.results.abort?.outcome, 'held');
    const summary = readFileSync(join(f.dir.path, `day-${n}`, 'summary.html'), 'utf8');
    assert.match(summary, /<h1>On time<\/h1>/);
    assert.match(summary, /late: skipped \(due outside the window\)/);
  });

  it('onFailure halt cancels the rest after a failed run; continue goes on', async () => {
    for (const onFailure of ['halt', 'continue'] as const) {
      resetLog();
      const g = loadGameday(
        f.gameday(`gameday: Failing
timezone: UTC
onFailure: ${onFailure}
runs:
  - { experiment: fail.yaml, id: breaks, at: 2026-12-01T09:00 }
  - { experiment: mark.yaml, id: next, at: 2026-12-01T09:10, vars: { name: next } }
`),
      );
      const state = await runGameday(g, options());
      assert.equal(state.results.breaks?.outcome, 'failed');
      if (onFailure === 'halt') {
        assert.equal(order(), '');
        assert.equal(state.results.next?.status, 'cancelled');
        assert.match(state.results.next!.reason!, /breaks failed and onFailure is halt/);
      } else assert.equal(order(), 'next;');
    }
  });

  it('an emergency halt mid-run reverts the running experiment, halts the proxies and cancels the rest', async () => {
    const fault = f.dir.file(
      'hold.yaml',
      `title: holds a fault
method:
  - { type: action, name: pay-503, provider: { type: fault, admin: "${mesh.proxy.adminUrl}", rule: { target: payments, abort: { status: 503 } }, duration: 30s } }
`,
    );
    const g = loadGameday(
      f.gameday(`gameday: Halted
timezone: UTC
admin: [${mesh.proxy.adminUrl}]
runs:
  - { experiment: ${fault}, id: hold, at: 2026-12-01T09:00 }
  - { experiment: mark.yaml, id: never, at: 2026-12-01T09:30, vars: { name: never } }
`),
    );
    resetLog();
    const o = options();
    const day = runGameday(g, { ...o, events: () => ({ faultInjected: () => void requestHalt(o.outDir, 'payments on fire', new Date()) }) });
    const state = await day;
    try {
      assert.match(state.haltedBy!.by, /faultmesh gameday halt: payments on fire/);
      assert.equal(state.results.hold?.outcome, 'interrupted');
      assert.equal(state.results.never?.status, 'cancelled');
      assert.equal(order(), '');
      const journal = JSON.parse(readFileSync(state.results.hold!.journal!, 'utf8')) as { faults: Array<{ state: string }> };
      assert.equal(journal.faults[0]!.state, 'removed');
      const health = (await send(mesh.proxy.adminUrl, { path: '/healthz' })).json<{ halted: boolean }>();
      assert.equal(health.halted, true, 'the listed proxy was halted');
      assert.match(readFileSync(join(o.outDir, 'summary.html'), 'utf8'), /Emergency halt by .*payments on fire/);
      assert.equal((await runGameday(g, { ...o, log: () => {} })).results.never?.status, 'cancelled', 'a halted game day does not start again');
    } finally {
      await send(mesh.proxy.adminUrl, { method: 'POST', path: '/v1/resume', headers: AUTH });
    }
  });

  it('a halt through a proxy\'s admin API halts the game day too', async () => {
    const g = loadGameday(
      f.gameday(`gameday: Halted by proxy
timezone: UTC
admin: [${mesh.proxy.adminUrl}]
runs:
  - { experiment: mark.yaml, id: first, at: 2026-12-01T09:00, vars: { name: first } }
  - { experiment: mark.yaml, id: second, at: 2026-12-01T09:30, vars: { name: second } }
`),
    );
    resetLog();
    await send(mesh.proxy.adminUrl, { method: 'POST', path: '/v1/halt', headers: AUTH });
    try {
      // A real clock: the game day waits for 09:30 long enough for the poller to see the proxy halted.
      const clock = { now: () => Date.parse('2026-12-01T09:00:00Z'), sleepUntil: (_t: number, signal: AbortSignal) => new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true })) };
      const state = await runGameday(g, options(clock));
      assert.match(state.haltedBy!.by, new RegExp(`admin API of ${mesh.proxy.adminUrl}`));
      assert.equal(state.haltedBy!.admin, mesh.proxy.adminUrl);
      assert.equal(order(), '', 'the halt is checked before the first start too');
      assert.equal(state.results.first?.status, 'cancelled');
      assert.equal(state.results.second?.status, 'cancelled');
    } finally {
      await send(mesh.proxy.adminUrl, { method: 'POST', path: '/v1/resume', headers: AUTH });
    }
  });

  it('runs up to `concurrency` experiments at once, and Ctrl-C halts them all', async () => {
    const hold = f.dir.file(
      'hold-ctrl-c.yaml',
      `title: holds a fault
method:
  - { type: action, name: pay-reset, provider: { type: fault, admin: "${mesh.proxy.adminUrl}", rule: { target: payments, reset: true }, duration: 30s } }
`,
    );
    const g = loadGameday(
      f.gameday(`gameday: Side by side
timezone: UTC
concurrency: 2
runs:
  - { experiment: ${hold}, id: left, at: 2026-12-01T09:00 }
  - { experiment: ${hold}, id: right, at: 2026-12-01T09:00 }
  - { experiment: mark.yaml, id: later, at: 2026-12-01T09:30, vars: { name: later } }
`),
    );
    resetLog();
    const ctrlC = new AbortController();
    let injected = 0;
    const state = await runGameday(g, options(undefined, { interrupt: ctrlC.signal, events: () => ({ faultInjected: () => void (++injected === 2 && ctrlC.abort('SIGINT')) }) }));
    assert.equal(injected, 2, 'both ran at once');
    assert.equal(state.results.left?.startedAt, state.results.right?.startedAt);
    assert.match(state.haltedBy!.by, /Ctrl-C \(SIGINT\)/);
    assert.equal(state.results.left?.outcome, 'interrupted');
    assert.equal(state.results.right?.outcome, 'interrupted');
    assert.equal(state.results.later?.status, 'cancelled');
    assert.deepEqual((await send(mesh.proxy.adminUrl, { path: '/v1/faults' })).json<{ faults: unknown[] }>().faults, []);
  });

  // Bounded: on the code before the fix this game day waited forever for its `after` run.
  it('ends at once when the window has passed: every start skipped, the `after` run too, and it says why', { timeout: 20_000 }, async () => {
    resetLog();
    const g = loadGameday(
      f.gameday(`gameday: Too late
timezone: UTC
window: { start: 2026-12-01T09:00, end: 2026-12-01T12:00 }
runs:
  - { experiment: mark.yaml, id: abort, at: 2026-12-01T09:15, vars: { name: abort } }
  - { experiment: mark.yaml, id: latency, cron: "*/20 9-11 * * *", maxRuns: 2, vars: { name: latency } }
  - { experiment: mark.yaml, id: failover, after: abort, vars: { name: failover } }
`),
    );
    const lines: string[] = [];
    const clock = fakeClock('2026-12-01T15:00:00Z');
    const state = await runGameday(g, options(clock, { log: (l) => lines.push(l) }));
    assert.equal(order(), '', 'nothing ran');
    assert.deepEqual(clock.waits, [], 'it did not wait for anything');
    assert.deepEqual(
      Object.fromEntries(Object.entries(state.results).map(([k, r]) => [k, `${r.status}: ${r.reason}`])),
      {
        abort: 'skipped: the window closed before it could start',
        'latency-1': 'skipped: the window closed before it could start',
        'latency-2': 'skipped: the window closed before it could start',
        failover: 'skipped: abort did not run',
      },
    );
    assert.ok(state.finishedAt, 'the game day finished');
    assert.ok(lines.some((l) => /^the window closed at 2026-12-01 12:00:00 UTC, before this game day started: no run can start, every start is skipped$/.test(l)), lines.join('\n'));
  });

  it('names SIGTERM as SIGTERM when it halts the game day, and Ctrl-C only for SIGINT', async () => {
    for (const [signal, by] of [['SIGTERM', 'SIGTERM'], ['SIGINT', 'Ctrl-C (SIGINT)']] as const) {
      const g = loadGameday(f.gameday(`gameday: Stopped by ${signal}\ntimezone: UTC\nruns:\n  - { experiment: mark.yaml, id: one, at: 2026-12-01T09:00, vars: { name: one } }\n`));
      const stop = new AbortController();
      stop.abort(signal);
      const state = await runGameday(g, options(undefined, { interrupt: stop.signal }));
      assert.equal(state.haltedBy?.by, by);
      assert.equal(state.results.one?.reason, `halted by ${by}`);
    }
  });

  it('resumes after a crash without running twice what already ran', async () => {
    resetLog();
    const g = loadGameday(
      f.gameday(`gameday: Resumed
timezone: UTC
runs:
  - { experiment: mark.yaml, id: a, at: 2026-12-01T09:00, vars: { name: a } }
  - { experiment: mark.yaml, id: b, at: 2026-12-01T09:10, vars: { name: b } }
  - { experiment: mark.yaml, id: c, at: 2026-12-01T09:20, vars: { name: c } }
`),
    );
    const o = options();
    const first = await runGameday(g, o);
    assert.equal(order(), 'a;b;c;');
    // As if the runner had died during b: a done, b running, c never reached.
    writeState(o.outDir, { ...first, results: { a: first.results.a!, b: { status: 'running', startedAt: first.results.b!.startedAt! } }, finishedAt: null });
    resetLog();
    const resumed = await runGameday(g, { ...o, clock: fakeClock('2026-12-01T09:15:00Z') });
    assert.equal(order(), 'c;', 'only c runs');
    assert.equal(resumed.results.a?.status, 'done');
    assert.equal(resumed.results.b?.status, 'crashed');
    assert.equal(readState(o.outDir)?.results.c?.status, 'done');
    const other = loadGameday(f.gameday(`gameday: Another\ntimezone: UTC\nruns:\n  - { experiment: mark.yaml, at: 2026-12-01T09:00 }\n`));
    await assert.rejects(runGameday(other, o), /holds the game day "Resumed" .* give this one its own --out folder/);
  });
});
