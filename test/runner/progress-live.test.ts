import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type { Activity } from '../../runner/experiment/activity-schema.js';
import type { RunEvents } from '../../runner/events.js';
import type { ActivityRecord, FaultRecord, Journal } from '../../runner/journal.js';
import { progressPrinter } from '../../runner/progress.js';
import { progressTerminal, TICK_MS } from '../../runner/progress-terminal.js';
import { fakeTimers, type FakeTimers } from '../helpers/fake-timers.js';

/** A stream that keeps what was written, as a terminal (isTTY, 100 columns) or as a pipe. */
function capture(tty: boolean) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  }) as Writable & { isTTY?: boolean; columns?: number; rows?: number };
  if (tty) Object.assign(stream, { isTTY: true, columns: 100, rows: 30 });
  // Writable.write is asynchronous through _write; collect synchronously instead, as a terminal shows at once.
  stream.write = ((chunk: unknown) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof stream.write;
  return { stream, text: () => chunks.join('') };
}

/**
 * What a terminal shows after `text`: the rows on screen, with the cursor
 * movements progress output uses (cursor up, erase to the end of the
 * screen, carriage return) applied. Enough to check a redrawn block.
 */
function screen(text: string): string[] {
  const rows: string[] = [''];
  let row = 0;
  let col = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\x1b') {
      const m = /^\x1b\[(\d*)([A-Za-z])/.exec(text.slice(i))!;
      const n = Number(m[1] || 1);
      if (m[2] === 'A') row = Math.max(0, row - n);
      if (m[2] === 'J') rows.splice(row + 1), (rows[row] = rows[row]!.slice(0, col));
      i += m[0].length - 1;
    } else if (ch === '\n') {
      row++;
      col = 0;
      if (rows.length <= row) rows.push('');
    } else if (ch === '\r') col = 0;
    else {
      const line = rows[row]!.padEnd(col);
      rows[row] = line.slice(0, col) + ch + line.slice(col + 1);
      col++;
    }
  }
  return rows.filter((r, i) => r !== '' || i < rows.length - 1);
}

const fault: Activity = { type: 'action', name: 'pay-503', provider: { type: 'fault', admin: ['http://127.0.0.1:1'], rule: { target: 'payments', percentage: 10, abort: { status: 503 } }, duration: 12_000 } } as unknown as Activity;
const probe: Activity = { type: 'probe', name: 'checkout-ok', provider: { type: 'metric' } } as unknown as Activity;
const guard: Activity = { type: 'probe', name: 'guard', provider: { type: 'metric' } } as unknown as Activity;
const record = (activity: Activity, section: ActivityRecord['section'], fields: Partial<ActivityRecord>): ActivityRecord =>
  ({ activity, section, status: 'succeeded', start: '', end: '', duration: 4, ...fields }) as ActivityRecord;
const ok = (activity: Activity, section: ActivityRecord['section'], value: number, tolerance: string) => record(activity, section, { output: value, value, tolerance, tolerance_met: true });

/** Drives a printer through a run whose fault ends with `how`, advancing `clock` as a run would. */
async function play(events: RunEvents, clock: FakeTimers, how: { fault: Partial<FaultRecord>; stoppedBy?: string } = { fault: { state: 'removed', heldMs: 12_000 } }) {
  const f: FaultRecord = { id: 'pay-503-abc-1', activity: 'pay-503', rule: { target: 'payments', percentage: 10, abort: { status: 503 } }, admins: ['http://127.0.0.1:1'], injectedAt: new Date(clock.now()).toISOString(), state: 'held', errors: [] };
  events.phase!('hypothesis-before');
  events.activityEnded!(ok(probe, 'hypothesis', 1, '>= 0.99'));
  events.hypothesisChecked!('before', { at: '', met: true, probes: [] });
  events.phase!('method');
  events.activityStarted!(fault, 'method');
  events.faultInjected!(f);
  for (let i = 0; i < 2; i++) {
    events.activityStarted!(guard, 'safeguard');
    events.activityEnded!(ok(guard, 'safeguard', 0.98, '>= 0.9'));
  }
  events.faultCounted!(f, { matched: 14, hit: 3 });
  await clock.advance(3000);
  const live = snapshot();
  if (how.stoppedBy) events.stopped!(how.stoppedBy);
  Object.assign(f, { counts: { matched: 14, hit: 3 } }, how.fault);
  events.faultEnded!(f);
  events.activityEnded!(record(fault, 'method', { status: how.stoppedBy ? 'interrupted' : 'succeeded', output: { id: f.id }, error: 'the fault held 4.2s of 12s, then ...', duration: 4.2 }));
  events.phase!('revert');
  events.phase!('done');
  const journal = { status: how.stoppedBy ? 'interrupted' : 'completed', phase: 'done', duration: 20.3, stoppedBy: how.stoppedBy, deviated: false, run: [], errors: [], steady_states: { before: null, after: null, during: [] } } as unknown as Journal;
  events.runEnded!(journal);
  return live;
}
let snapshot: () => string[] = () => [];

describe('progress output', () => {
  it('piped, is plain lines as the run goes: every check, the fault window, the end, and no escape codes', async () => {
    const out = capture(false);
    const clock = fakeTimers();
    await play(progressPrinter(out.stream, (s) => s, '', { now: clock.now }), clock);
    assert.doesNotMatch(out.text(), /\x1b/);
    assert.deepEqual(out.text().trimEnd().split('\n'), [
      '» steady state before',
      '  hypothesis probe "checkout-ok": 1 ✓ (tolerance >= 0.99) [4.0s]',
      '  steady state before: met',
      '» method',
      '  fault pay-503-abc-1 injected on 1 proxy: payments: abort 503 10%',
      '  safeguard probe "guard": 0.98 ✓ (tolerance >= 0.9) [4.0s]',
      '  safeguard probe "guard": 0.98 ✓ (tolerance >= 0.9) [4.0s]',
      '  fault pay-503-abc-1 removed after 12.0s, matched 14, hit 3',
      '  method action "pay-503": {"id":"pay-503-abc-1"} [4.2s]',
      '» revert done',
      'completed in 20.3s. Completed: the method ran (no steady-state hypothesis to check).',
    ]);
  });

  it('on a terminal, keeps a live block under the lines: the step, each fault with its countdown and hit count, the last probe value, the safeguard state', async () => {
    const out = capture(true);
    const clock = fakeTimers();
    snapshot = () => screen(out.text());
    const live = await play(progressPrinter(out.stream, (s) => s, '', { now: clock.now, terminal: progressTerminal(out.stream, { timers: clock }) }), clock);
    const block = live.slice(live.indexOf('» method') + 2);
    assert.match(block[0]!, /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] safeguard probe "guard"$/, 'what runs now, after a spinner frame');
    assert.equal(block[1], '  fault pay-503-abc-1 payments: abort 503 10%, 9s left, matched 14, hit 3');
    assert.equal(block[2], '  probe "checkout-ok": 1 ✓ (tolerance >= 0.99) (3s ago)');
    assert.equal(block[3], '  safeguard "guard": 0.98 ✓ (tolerance >= 0.9) (2 checks, all met; last 3s ago)');
    assert.equal(block.length, 4, live.join('\n'));
    assert.ok(!live.some((l) => l.startsWith('  safeguard probe')), 'a passing safeguard check stays in the block instead of taking a line');
    const end = screen(out.text());
    assert.equal(end.at(-1), 'completed in 20.3s. Completed: the method ran (no steady-state hypothesis to check).');
    assert.ok(!end.some((l) => /left|^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] /.test(l)), `the block is gone once the run ends:\n${end.join('\n')}`);
    assert.equal(clock.pending(), 0, 'and nothing is left to redraw it');
  });

  it('on a terminal, counts the countdown down between events, and another write to the stream does not end up inside the block', async () => {
    const out = capture(true);
    const clock = fakeTimers();
    const original = out.stream.write;
    const terminal = progressTerminal(out.stream, { timers: clock });
    let left = 3;
    terminal.block('a', (frame) => [`${frame} waiting`, `  ${left}s left`]);
    assert.notEqual(out.stream.write, original, 'writes are watched while a block is up');
    left = 2;
    await clock.advance(TICK_MS);
    assert.deepEqual(screen(out.text()).slice(-1), ['  2s left']);
    out.stream.write('\nSIGINT: stopping\n');
    await clock.advance(TICK_MS);
    const shown = screen(out.text());
    assert.deepEqual(shown.filter((l) => /left/.test(l)), ['  2s left'], shown.join('\n'));
    assert.ok(shown.indexOf('SIGINT: stopping') < shown.indexOf('  2s left'), 'the message scrolls above the block');
    terminal.close();
    assert.equal(out.stream.write, original, 'the stream is left as it was');
    assert.ok(!screen(out.text()).some((l) => /left|waiting/.test(l)));
  });

  it('tells once that a halt ended the fault: no "lost", no line per halted proxy, the activity only "interrupted"', async () => {
    const out = capture(false);
    const clock = fakeTimers();
    const injected = new Date(clock.now()).toISOString();
    const also = [2, 3, 4, 5].map((n) => `also lost on http://127.0.0.1:${n} at ${injected} (proxy halted)`);
    await play(progressPrinter(out.stream, (s) => s, '', { now: clock.now }), clock, { stoppedBy: 'interrupted (the game day\'s emergency halt)', fault: { state: 'lost', heldMs: 4200, lost: { admin: 'http://127.0.0.1:1', at: injected, cause: 'proxy halted' }, errors: also } });
    const lines = out.text().split('\n');
    assert.ok(lines.includes('  fault pay-503-abc-1 ended by the emergency halt on 5 proxies after 4.2s of 12s, matched 14, hit 3'), out.text());
    assert.ok(lines.includes('  method action "pay-503": interrupted [4.2s]'), out.text());
    assert.doesNotMatch(out.text(), /lost|127\.0\.0\.1:[2-5]/);
  });

  it('does not repeat the halt when the stop line named the fault, and says when no count was read before the halt', async () => {
    const out = capture(false);
    const clock = fakeTimers();
    const injected = new Date(clock.now()).toISOString();
    const stoppedBy = `an emergency halt on http://127.0.0.1:1 removed fault pay-503-abc-1 at ${injected}`;
    await play(progressPrinter(out.stream, (s) => s, '', { now: clock.now }), clock, { stoppedBy, fault: { state: 'lost', heldMs: 900, counts: { matched: 0, hit: 0 }, countedUntil: injected, lost: { admin: 'http://127.0.0.1:1', at: injected, cause: 'proxy halted' } } });
    const lines = out.text().split('\n');
    assert.ok(lines.includes('  fault pay-503-abc-1 held 0.9s of 12s until the halt, no count was read before it ended'), out.text());
    assert.equal(out.text().match(/emergency halt/g)?.length, 2, 'the stop line and the verdict, nothing else');
  });
});
