import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunEvents } from '../../../runner/events.js';
import { requestHalt } from '../../../runner/gameday/halt.js';
import { loadGameday } from '../../../runner/gameday/load-gameday.js';
import { runGameday } from '../../../runner/gameday/run-gameday.js';
import { AUTH, startFaultFixture, TOKEN, type FaultFixture } from '../../helpers/fault-fixture.js';
import { fakeClock, gamedayFolder } from '../../helpers/gameday-fixture.js';
import { send } from '../../helpers/http-client.js';

describe('a game day whose subscribers throw', () => {
  const f = gamedayFolder();
  let mesh: FaultFixture;
  before(async () => (mesh = await startFaultFixture({ timeoutMs: 2000 })));
  after(async () => {
    await mesh.stop();
    f.dir.remove();
  });

  it('still halts, reverts the running experiment and runs its rollbacks when the log and every event handler throw', async () => {
    const rolledBack = f.dir.file('rolled-back', '');
    const hold = f.dir.file(
      'hold-with-rollback.yaml',
      `title: holds a fault
method:
  - { type: action, name: pay-503, provider: { type: fault, admin: "${mesh.proxy.adminUrl}", rule: { target: payments, abort: { status: 503 } }, duration: 30s } }
rollbacks:
  - { type: action, name: undo, provider: { type: process, path: ${JSON.stringify(process.execPath)}, arguments: ["-e", "require('fs').appendFileSync('${rolledBack}', 'undo;')"] } }
`,
    );
    const g = loadGameday(
      f.gameday(`gameday: Broken printers
timezone: UTC
admin: [${mesh.proxy.adminUrl}]
runs:
  - { experiment: ${hold}, id: hold, at: 2026-12-01T09:00 }
  - { experiment: mark.yaml, id: never, at: 2026-12-01T09:30, vars: { name: never } }
`),
    );
    const outDir = join(f.dir.path, 'broken');
    const broken = (): RunEvents => {
      const events: Record<string, () => void> = {};
      for (const name of ['phase', 'activityStarted', 'activityEnded', 'hypothesisChecked', 'faultEnded', 'stopped', 'runEnded'])
        events[name] = () => {
          throw new Error(`${name} printer broke`);
        };
      return {
        ...events,
        faultInjected: () => {
          void requestHalt(outDir, 'payments on fire', new Date());
          throw new Error('faultInjected printer broke');
        },
      };
    };
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const state = await runGameday(g, {
        outDir,
        clock: fakeClock('2026-12-01T08:00:00Z'),
        interrupt: new AbortController().signal,
        events: broken,
        log: () => {
          throw new Error('the log broke');
        },
        pollMs: 50,
        leaseMs: 2000,
        token: TOKEN,
      });
      assert.match(state.haltedBy?.by ?? '', /payments on fire/, 'the halt went through');
      assert.equal(state.results.hold?.outcome, 'interrupted');
      assert.equal(state.results.never?.status, 'cancelled');
      const journal = JSON.parse(readFileSync(state.results.hold!.journal!, 'utf8')) as { faults: Array<{ state: string }>; errors: Array<{ message: string }> };
      assert.equal(journal.faults[0]?.state, 'removed');
      assert.equal(readFileSync(rolledBack, 'utf8'), 'undo;', 'the rollback ran');
      assert.ok(journal.errors.some((e) => e.message === 'a subscriber failed on faultInjected: faultInjected printer broke'), 'the journal records the broken printer');
      assert.deepEqual((await send(mesh.proxy.adminUrl, { path: '/v1/faults' })).json<{ faults: unknown[] }>().faults, []);
      // The warning is emitted on a later tick; the game day is over, so it is already queued.
      await new Promise((done) => setImmediate(done));
      assert.ok(warnings.includes('a subscriber failed on log: the log broke'), warnings.join('\n'));
    } finally {
      process.off('warning', onWarning);
      await send(mesh.proxy.adminUrl, { method: 'POST', path: '/v1/resume', headers: { ...AUTH, 'content-type': 'application/json' }, body: '{}' });
    }
  });
});
