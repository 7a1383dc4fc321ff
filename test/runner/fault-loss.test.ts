import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { EchoUpstream } from '../../demo/echo-upstream.js';
import { faultRuleSchema } from '../../proxy/faults/fault-rule-schema.js';
import type { RunningProxy } from '../../proxy/proxy-app.js';
import type { RunEvents } from '../../runner/events.js';
import { loadExperiment } from '../../runner/experiment/load-experiment.js';
import { exitCodeOf, type FaultRecord, type Journal } from '../../runner/journal.js';
import { progressPrinter } from '../../runner/progress.js';
import { outcomeOf, runReport } from '../../reports/report-model.js';
import { runExperiment } from '../../runner/run-experiment.js';
import { verdictOf } from '../../runner/verdict.js';
import { send } from '../helpers/http-client.js';
import { meshYaml, startTestProxy, startUpstreams, tempDir } from '../helpers/mesh-fixture.js';

const ISO = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';

/** Progress as a user reads it on a pipe: plain lines, no spinner. */
function progressLines(): { events: RunEvents; lines: () => string[] } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { events: progressPrinter(stream as unknown as NodeJS.WriteStream), lines: () => text.split('\n').filter(Boolean) };
}

describe('a fault a proxy drops mid-method fails the run, never "held"', () => {
  const dir = tempDir();
  const specs = [{ service: 'payments', id: 'pay-1' }];
  let upstreams: Map<string, EchoUpstream>;
  let meshFile = '';
  let proxy: RunningProxy;
  let ports: { listen: number; admin: number };
  const portOf = (url: string) => Number(new URL(url).port);
  /** The proxy on the same ports as before, as after a crash and a restart. */
  const startOnSamePorts = () => startTestProxy(meshFile, { listen: { host: '127.0.0.1', port: ports.listen }, admin: { host: '127.0.0.1', port: ports.admin } });
  const restart = async (): Promise<RunningProxy> => {
    await proxy.close(200);
    proxy = await startOnSamePorts();
    return proxy;
  };
  const faultsOnProxy = async () => (await send(proxy.adminUrl, { path: '/v1/faults' })).json<{ faults: Array<{ id: string }> }>().faults;

  before(async () => {
    upstreams = await startUpstreams(specs);
    meshFile = dir.file('mesh.yaml', meshYaml(specs, upstreams));
    proxy = await startTestProxy(meshFile);
    ports = { listen: portOf(proxy.proxyUrl), admin: portOf(proxy.adminUrl) };
  });
  after(async () => {
    await proxy.close(200);
    for (const u of upstreams.values()) await u.close();
    dir.remove();
  });

  /** payments answers 200 before and after; the fault matches only `path` (none by default), so only its holding is under test. */
  const experiment = (duration: string, path = '/never') =>
    dir.file(
      `exp-${Math.random().toString(36).slice(2)}.yaml`,
      `title: payments stay up
configuration:
  admin: ${proxy.adminUrl}
  proxy: ${proxy.proxyUrl}
steady-state-hypothesis:
  title: payments answer
  probes:
    - { type: probe, name: payments-ok, tolerance: 200, provider: { type: http, url: "\${proxy}/", headers: { host: payments }, timeout: 2 } }
method:
  - { type: action, name: pay-503, provider: { type: fault, admin: "\${admin}", rule: { target: payments, match: { paths: [${path}] }, abort: { status: 503 } }, duration: ${duration} } }
`,
    );
  /** Runs the experiment; `onInjected` acts on the proxy once the fault is on it, as a crash or an operator would. */
  async function run(duration: string, onInjected: (fault: FaultRecord) => Promise<unknown>, leaseMs = 1500, path?: string) {
    const progress = progressLines();
    let acting: Promise<unknown> = Promise.resolve();
    const journalPath = dir.file(`journal-${Math.random().toString(36).slice(2)}.json`, '');
    const journal = await runExperiment(loadExperiment(experiment(duration, path)), {
      journalPath,
      leaseMs,
      events: { ...progress.events, faultInjected: (f) => void (progress.events.faultInjected?.(f), (acting = onInjected(f))) },
    });
    await acting;
    const written = JSON.parse(readFileSync(journalPath, 'utf8')) as Journal;
    assert.equal(written.status, journal.status, 'the journal on disk is the final one');
    return { journal, lines: progress.lines() };
  }

  const startedAtOf = async (p: RunningProxy) => (await send(p.adminUrl, { path: '/healthz' })).json<{ startedAt: string }>().startedAt;

  it('fails with the proxy, the time and "proxy restarted" when the proxy restarts while the fault should hold, and says so once', async () => {
    let restartedAt = '';
    // A 4 s lease, so the restart (well within it) is what bounds the loss, not the lease.
    const { journal, lines } = await run('30s', async () => (restartedAt = await startedAtOf(await restart())), 4000);
    assert.equal(journal.status, 'failed', JSON.stringify({ stoppedBy: journal.stoppedBy, faults: journal.faults }));
    assert.equal(exitCodeOf(journal), 1);
    const fault = journal.faults[0]!;
    assert.match(journal.stoppedBy!, new RegExp(`^fault ${fault.id} lost on ${proxy.adminUrl} at ${ISO} \\(proxy restarted\\)$`));
    assert.equal(fault.state, 'lost');
    assert.deepEqual({ ...fault.lost, at: undefined }, { admin: proxy.adminUrl, cause: 'proxy restarted', at: undefined });
    assert.ok(fault.lost!.at >= fault.injectedAt);
    assert.equal(fault.lost!.at, restartedAt, 'the fault cannot have held past the restart: its start time is the loss');
    assert.equal(fault.heldMs, Date.parse(restartedAt) - Date.parse(fault.injectedAt), 'held until the loss, not until it was found');
    assert.equal(journal.run[0]!.status, 'interrupted', 'the 30 s window was cut short');
    assert.doesNotMatch(verdictOf(journal), /held/);
    assert.match(verdictOf(journal), /^Failed: fault \S+ lost on .* \(proxy restarted\)\.$/);
    // Said once as it happens (the stop), and once in the verdict at the end; never once per renewal.
    const mentions = lines.filter((l) => l.includes('lost on') || l.includes('dropped by'));
    assert.equal(mentions.length, 2, lines.join('\n'));
    assert.match(mentions[0]!, /^✗ stopping: fault \S+ lost on/);
    assert.match(mentions[1]!, /^failed in [\d.]+s\. Failed: fault/);
    assert.ok(lines.filter((l) => l.includes('renew failed')).length <= 1, 'an outage is recorded once');
    assert.equal(outcomeOf(journal), 'failed');
    assert.equal(runReport(journal).faults[0]!.at(-1), `lost: proxy restarted (${proxy.adminUrl})`, 'the report says why');
    assert.deepEqual(await faultsOnProxy(), []);
  });

  it('keeps the counts the fault reached before a restart, and says until when they were counted', async () => {
    const { journal } = await run(
      '30s',
      async (f) => {
        for (let i = 0; i < 3; i++) assert.equal((await send(proxy.proxyUrl, { path: '/hit', headers: { host: 'payments' } })).status, 503);
        // Two renewals after the requests: the round of the first one has read the counts by the time the second one comes.
        const expiry = async () => (await send(proxy.adminUrl, { path: `/v1/faults/${encodeURIComponent(f.id)}` })).json<{ expiresAt: string }>().expiresAt;
        const seen = new Set([await expiry()]);
        for (let i = 0; i < 400 && seen.size < 3; i++) {
          await new Promise((r) => setTimeout(r, 50));
          seen.add(await expiry());
        }
        assert.equal(seen.size, 3, 'the ledger renewed the fault twice');
        await restart();
      },
      1500,
      '/hit',
    );
    const fault = journal.faults[0]!;
    assert.equal(fault.lost?.cause, 'proxy restarted');
    assert.deepEqual(fault.counts, { matched: 3, hit: 3 }, 'a restart takes the proxy\'s counts, not the ones already read');
    assert.ok(fault.countedUntil && fault.countedUntil >= fault.injectedAt && fault.countedUntil <= fault.lost!.at, JSON.stringify(fault));
  });

  it('fails with "lease ran out while the proxy was unreachable" when the proxy dies and stays down, dating the loss one lease after the last renewal', async () => {
    try {
      const { journal, lines } = await run('30s', () => proxy.close(200));
      assert.equal(journal.status, 'failed', JSON.stringify({ stoppedBy: journal.stoppedBy, faults: journal.faults }));
      assert.equal(exitCodeOf(journal), 1);
      const fault = journal.faults[0]!;
      assert.equal(fault.state, 'lost', 'a lease that ran out unrenewed ended the fault, reachable or not');
      assert.equal(fault.lost?.cause, 'lease ran out while the proxy was unreachable');
      assert.match(journal.stoppedBy!, new RegExp(`^fault ${fault.id} lost on ${proxy.adminUrl} at ${ISO} \\(lease ran out while the proxy was unreachable\\)$`));
      assert.equal(journal.run[0]!.status, 'interrupted', 'the 30 s window was cut short');
      assert.doesNotMatch(verdictOf(journal), /held/);
      // Renewed last at the injection (or one round after it): the fault surely ended one 1.5 s lease later, well before the 30 s window.
      assert.equal(fault.heldMs, Date.parse(fault.lost!.at) - Date.parse(fault.injectedAt));
      assert.ok(fault.heldMs! >= 1000 && fault.heldMs! < 10_000, `held ${fault.heldMs} ms`);
      assert.ok(fault.lost!.at <= journal.end!, 'dated when the lease ran out, not later');
      assert.equal(lines.filter((l) => l.startsWith('✗ stopping:')).length, 1, lines.join('\n'));
    } finally {
      proxy = await startOnSamePorts();
    }
  });

  it('fails as well when the restarted proxy got the fault back: its start time shows the gap', async () => {
    const { journal } = await run('30s', async (f) => {
      const fresh = await restart();
      // Put back before this turn of the event loop ends, so no renewal can meet a 404: only the start time tells.
      const spec = faultRuleSchema.parse(f.rule);
      fresh.faults.add(spec, 60_000);
    });
    assert.equal(journal.status, 'failed');
    assert.equal(journal.faults[0]!.lost?.cause, 'proxy restarted');
    assert.deepEqual(await faultsOnProxy(), [], 'the revert removed the copy that was put back');
  });

  it('is interrupted (exit 3) by an operator halting the proxy, naming the halt', async () => {
    try {
      const { journal } = await run('30s', () => send(proxy.adminUrl, { method: 'POST', path: '/v1/halt', headers: { 'content-type': 'application/json' }, body: '{}' }));
      assert.equal(journal.status, 'interrupted');
      assert.equal(exitCodeOf(journal), 3);
      const fault = journal.faults[0]!;
      assert.match(journal.stoppedBy!, new RegExp(`^an emergency halt on ${proxy.adminUrl} removed fault ${fault.id} at ${ISO}$`));
      assert.equal(fault.lost?.cause, 'proxy halted');
      assert.doesNotMatch(verdictOf(journal), /held/);
    } finally {
      await send(proxy.adminUrl, { method: 'POST', path: '/v1/resume', headers: { 'content-type': 'application/json' }, body: '{}' });
    }
  });

  it('fails with "lease missed" when the fault is gone from a proxy that neither restarted nor halted, even when only the removal finds out', async () => {
    // A 60 s lease is renewed every 20 s: no renewal comes during the 1 s window, so the removal at its end is what finds the fault gone.
    const { journal } = await run('1s', (f) => send(proxy.adminUrl, { method: 'DELETE', path: `/v1/faults/${encodeURIComponent(f.id)}` }), 60_000);
    assert.equal(journal.status, 'failed');
    assert.equal(exitCodeOf(journal), 1);
    const fault = journal.faults[0]!;
    assert.equal(fault.state, 'lost');
    assert.match(journal.stoppedBy!, new RegExp(`^fault ${fault.id} lost on ${proxy.adminUrl} at ${ISO} \\(lease missed\\)$`));
    assert.match(journal.run[0]!.error!, /then a proxy dropped it/);
    // Removed by hand at some time in the 1 s window: the latest it can have held is when the removal found it gone.
    assert.ok(fault.heldMs! >= 900, `held ${fault.heldMs} ms of the 1 s window, as far as the runner can tell`);
    assert.equal(fault.heldMs, Date.parse(fault.lost!.at) - Date.parse(fault.injectedAt));
  });

  it('marks the fault unconfirmed, with the error, when the proxy cannot be reached to remove it', async () => {
    try {
      // A 10 s lease outlasts the 1 s window: at the removal the proxy may still hold it.
      const { journal } = await run('1s', () => proxy.close(200), 10_000);
      const fault = journal.faults[0]!;
      assert.equal(fault.state, 'unconfirmed');
      assert.equal(fault.lost, undefined, 'an unreachable proxy is not proof that it dropped the fault');
      assert.ok(
        fault.errors.some((e) => new RegExp(`^not confirmed removed from ${proxy.adminUrl}: unreachable: connect ECONNREFUSED .*; its 10s lease ends it$`).test(e)),
        fault.errors.join('\n'),
      );
      assert.ok(journal.errors.some((e) => e.phase === 'revert' && e.message.includes('not confirmed removed')));
    } finally {
      proxy = await startOnSamePorts();
    }
  });
});
