import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { EVENT_NAMES, type RunEvents } from '../../runner/events.js';
import { loadExperiment } from '../../runner/experiment/load-experiment.js';
import type { Journal } from '../../runner/journal.js';
import { runExperiment, type RunOptions } from '../../runner/run-experiment.js';
import { startFaultFixture, TOKEN, type FaultFixture } from '../helpers/fault-fixture.js';
import { send } from '../helpers/http-client.js';
import { tempDir } from '../helpers/mesh-fixture.js';

const EVENTS = EVENT_NAMES;

/** A subscriber whose `broken` handlers throw (or reject, for `async`), each time it is called. */
function brokenSubscriber(broken: readonly (typeof EVENTS)[number][], how: 'throws' | 'rejects' = 'throws'): RunEvents {
  const events: Record<string, () => unknown> = {};
  for (const name of broken) events[name] = how === 'throws' ? () => { throw new Error(`${name} subscriber broke`); } : async () => { throw new Error(`${name} subscriber broke`); };
  return events as RunEvents;
}

describe('a subscriber that throws never stops the revert or the rollbacks', () => {
  let mesh: FaultFixture;
  const dir = tempDir();
  before(async () => (mesh = await startFaultFixture({ timeoutMs: 2000 })));
  after(async () => {
    await mesh.stop();
    dir.remove();
  });
  const faultsOnProxy = async () => (await send(mesh.proxy.adminUrl, { path: '/v1/faults' })).json<{ faults: unknown[] }>().faults;

  /**
   * A 20 s fault a safeguard sees at once (payments answers 503), so the run
   * aborts with the fault held: the revert must remove it, then the rollback
   * must run, whatever the subscriber does.
   */
  async function runWith(events: RunEvents, options: RunOptions = {}) {
    const marker = dir.file(`marker-${Math.random().toString(36).slice(2)}`, '');
    const file = dir.file(
      `exp-${Math.random().toString(36).slice(2)}.yaml`,
      `title: payments stay up
configuration:
  admin: ${mesh.proxy.adminUrl}
  proxy: ${mesh.proxy.proxyUrl}
steady-state-hypothesis:
  title: payments answer
  probes:
    - { type: probe, name: payments-ok, tolerance: 200, provider: { type: http, url: "\${proxy}/", headers: { host: payments }, timeout: 2 } }
method:
  - { type: action, name: pay-503, provider: { type: fault, admin: "\${admin}", rule: { target: payments, abort: { status: 503 } }, duration: 20s } }
safeguards:
  - { type: probe, name: payments-guard, tolerance: [200], provider: { type: http, url: "\${proxy}/", headers: { host: payments } } }
rollbacks:
  - { type: action, name: rollback, provider: { type: process, path: "${process.execPath}", arguments: ["-e", "require('fs').appendFileSync('${marker}', 'rollback;')"] } }
`,
    );
    const journalPath = dir.file(`journal-${Math.random().toString(36).slice(2)}.json`, '');
    const journal = await runExperiment(loadExperiment(file), { journalPath, leaseMs: 2000, safeguardEveryMs: 100, token: TOKEN, events, ...options });
    return { journal, rolledBack: readFileSync(marker, 'utf8'), written: JSON.parse(readFileSync(journalPath, 'utf8')) as Journal };
  }

  for (const name of EVENTS) {
    // rollbacksSkipped is told only when the rollbacks do not run: there, the strategy is never.
    const skips = name === 'rollbacksSkipped';
    it(`removes the fault, ${skips ? 'skips the rollbacks as asked' : 'runs the rollbacks'} and records the error when the ${name} subscriber throws`, async () => {
      const { journal, rolledBack, written } = await runWith(brokenSubscriber([name]), skips ? { rollbackStrategy: 'never' } : {});
      assert.deepEqual(await faultsOnProxy(), [], 'the fault was removed');
      assert.equal(rolledBack, skips ? '' : 'rollback;', skips ? 'the rollback did not run' : 'the rollback ran');
      assert.equal(journal.status, 'aborted', JSON.stringify({ stoppedBy: journal.stoppedBy, errors: journal.errors }));
      assert.match(journal.stoppedBy!, /safeguard "payments-guard"/, 'the subscriber did not change why the run stopped');
      assert.equal(journal.faults[0]?.state, 'removed');
      const recorded = journal.errors.filter((e) => e.message === `a subscriber failed on ${name}: ${name} subscriber broke`);
      assert.equal(recorded.length, 1, `recorded once, however often it broke: ${JSON.stringify(journal.errors)}`);
      assert.ok(written.errors.some((e) => e.message.startsWith(`a subscriber failed on ${name}`)), 'and in the journal on disk');
    });
  }

  it('does the same when every subscriber rejects asynchronously', async () => {
    const { journal, rolledBack } = await runWith(brokenSubscriber(EVENTS, 'rejects'));
    assert.deepEqual(await faultsOnProxy(), []);
    assert.equal(rolledBack, 'rollback;');
    assert.equal(journal.status, 'aborted');
    assert.ok(journal.errors.some((e) => e.message === 'a subscriber failed on phase: phase subscriber broke'));
  });
});
