import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunEvents } from '../../../runner/events.js';
import type { GamedayState } from '../../../runner/gameday/gameday-state.js';
import { requestHalt } from '../../../runner/gameday/halt.js';
import { loadGameday, type Gameday } from '../../../runner/gameday/load-gameday.js';
import { runGameday, type GamedayOptions } from '../../../runner/gameday/run-gameday.js';
import { gamedayTraceOf, type TraceTarget } from '../../../runner/tracing/run-trace.js';
import { runCli } from '../../helpers/cli.js';
import { startFaultFixture, TOKEN, type FaultFixture } from '../../helpers/fault-fixture.js';
import { fakeClock, gamedayFolder } from '../../helpers/gameday-fixture.js';
import { send } from '../../helpers/http-client.js';
import { waitFor } from '../../helpers/wait.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../proxy/tracing/otlp-receiver.js';

describe('a game day run as a trace', () => {
  const f = gamedayFolder();
  let collector: OtlpReceiver;
  let mesh: FaultFixture;
  before(async () => {
    collector = await startOtlpReceiver();
    mesh = await startFaultFixture({ timeoutMs: 2000 });
  });
  after(async () => {
    await mesh.stop();
    await collector.close();
    f.dir.remove();
  });

  /** An experiment that holds a 503 on payments for `duration`. */
  const faultExperiment = (title: string, duration: string) =>
    f.dir.file(
      `${title.replace(/\W+/g, '-')}.yaml`,
      `title: ${title}\nmethod:\n  - { type: action, name: ${title.replace(/\W+/g, '-')}-503, provider: { type: fault, admin: "${mesh.proxy.adminUrl}", rule: { target: payments, abort: { status: 503 } }, duration: ${duration} } }\n`,
    );
  /** Two short experiments, the second after the first, and a third start outside the window (skipped). */
  const twoRunDay = (title: string) =>
    loadGameday(
      f.gameday(`gameday: ${title}
timezone: UTC
window: { start: 2026-12-01T09:00, end: 2026-12-01T10:00 }
runs:
  - { experiment: ${faultExperiment('checkout first', '300ms')}, id: first, at: 2026-12-01T09:00 }
  - { experiment: ${faultExperiment('checkout second', '300ms')}, id: second, after: first }
  - { experiment: mark.yaml, id: late, at: 2026-12-01T11:00, vars: { name: late } }
`),
    );
  let n = 0;
  const options = (events: (key: string) => RunEvents = () => ({})): GamedayOptions => ({
    outDir: join(f.dir.path, `day-${++n}`),
    clock: fakeClock('2026-12-01T08:00:00Z'),
    interrupt: new AbortController().signal,
    events,
    log: () => {},
    pollMs: 50,
    leaseMs: 2000,
    token: TOKEN,
  });
  /** The game day, traced to `target` as the CLI wires it. */
  async function tracedDay(g: Gameday, target: TraceTarget, o: GamedayOptions = options()): Promise<GamedayState> {
    const trace = await gamedayTraceOf({ flushMs: 20, ...target }, g);
    const state = await runGameday(g, { ...o, attach: (key, run) => trace.attach(key, run), gamedayEvents: trace.events });
    await trace.close(state);
    return state;
  }
  const rootOf = async (title: string) => {
    await waitFor(() => collector.spans.some((s) => s.name === `gameday ${title}`), "the game day's span arrived");
    return collector.spans.find((s) => s.name === `gameday ${title}`)!;
  };
  const eventsOf = (span: ReceivedSpan, name: string) => span.events.filter((e) => e.name === name).map((e) => e.attributes);

  it("is one trace: the game day's span, each run's spans under it, and each fault carrying its activity's span to the proxy", async () => {
    const parentTrace = 'da'.repeat(16);
    // The rule as the proxy holds it, read while the fault is on.
    const rules: Array<Promise<string>> = [];
    const o = options(() => ({ faultInjected: (fault) => void rules.push(send(mesh.proxy.adminUrl, { path: `/v1/faults/${fault.id}` }).then((r) => r.text())) }));
    const state = await tracedDay(twoRunDay('Traced day'), { url: `${collector.url}/v1/traces`, parent: `00-${parentTrace}-${'ee'.repeat(8)}-01` }, o);
    assert.deepEqual([state.results.first?.outcome, state.results.second?.outcome, state.results.late?.status], ['held', 'held', 'skipped']);

    const root = await rootOf('Traced day');
    assert.equal(root.traceId, parentTrace, 'under the TRACEPARENT given');
    assert.equal(root.parentSpanId, 'ee'.repeat(8));
    assert.deepEqual(
      [root.attributes['faultmesh.gameday.title'], root.attributes['faultmesh.gameday.concurrency'], root.attributes['faultmesh.gameday.on_failure']],
      ['Traced day', 1, 'halt'],
    );
    assert.match(String(root.attributes['faultmesh.gameday.file']), /gameday-.*\.yaml$/);
    assert.equal(root.status.code, 0, 'every run held');
    assert.equal(root.attributes['faultmesh.gameday.runs.done'], 2);
    assert.deepEqual(eventsOf(root, 'run skipped'), [{ 'faultmesh.gameday.run': 'late', 'faultmesh.gameday.reason': 'due outside the window' }]);

    const spans = collector.trace(parentTrace);
    const experiments = spans.filter((s) => s.name.startsWith('experiment '));
    assert.deepEqual(experiments.map((s) => s.name).sort(), ['experiment checkout first', 'experiment checkout second']);
    for (const e of experiments) assert.equal(e.parentSpanId, root.spanId, `${e.name} under the game day`);

    assert.equal(rules.length, 2, 'a fault in each run');
    for (const text of await Promise.all(rules)) {
      const [, traceId, spanId] = /"traceparent":"00-([0-9a-f]{32})-([0-9a-f]{16})-01"/.exec(text) ?? [];
      assert.equal(traceId, parentTrace, `the proxy's rule carries the game day's trace: ${text}`);
      const activity = spans.find((s) => s.spanId === spanId);
      assert.match(activity?.name ?? '', /^action checkout-(first|second)-503$/, 'the span of the activity that injected it');
      const method = spans.find((s) => s.spanId === activity!.parentSpanId)!;
      assert.ok(experiments.some((e) => e.spanId === method.parentSpanId), 'in its run, under its method');
    }
  });

  it("ends the game day's span in error with who halted, the halt and the cancelled start as events", async () => {
    const g = loadGameday(
      f.gameday(`gameday: Halted traced\ntimezone: UTC\nruns:\n  - { experiment: ${faultExperiment('holds on', '30s')}, id: hold, at: 2026-12-01T09:00 }\n  - { experiment: mark.yaml, id: never, at: 2026-12-01T09:30, vars: { name: never } }\n`),
    );
    const o = options();
    const state = await tracedDay(g, { url: `${collector.url}/v1/traces` }, { ...o, events: () => ({ faultInjected: () => void requestHalt(o.outDir, 'payments on fire', new Date()) }) });
    assert.equal(state.results.hold?.outcome, 'interrupted');
    const root = await rootOf('Halted traced');
    assert.equal(root.status.code, 2);
    assert.match(root.status.message ?? '', /^halted by .*payments on fire/);
    assert.equal(eventsOf(root, 'emergency halt').length, 1);
    assert.match(String(eventsOf(root, 'emergency halt')[0]!['faultmesh.halt.by']), /payments on fire/);
    assert.deepEqual(eventsOf(root, 'run cancelled').map((a) => a['faultmesh.gameday.run']), ['never']);
    assert.match(String(eventsOf(root, 'run cancelled')[0]!['faultmesh.gameday.reason']), /^halted by /);
    const run = collector.trace(root.traceId).find((s) => s.name === 'experiment holds on')!;
    assert.equal(run.parentSpanId, root.spanId);
    assert.equal(run.status.code, 2, 'the run the halt stopped');
  });

  it('runs the same game day to the same result when the collector refuses connections, and says so once', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    await new Promise((done) => closed.close(done));
    const told: string[] = [];
    const summary = (s: GamedayState) => Object.entries(s.results).map(([key, r]) => [key, r.status, r.outcome, r.verdict]);
    const untraced = await runGameday(twoRunDay('Refused'), options());
    const traced = await tracedDay(twoRunDay('Refused'), { url: `http://127.0.0.1:${port}/v1/traces`, exportTimeoutMs: 300, log: (line) => told.push(line) });
    assert.deepEqual(summary(traced), summary(untraced));
    assert.equal(told.length, 1, told.join('\n'));
    assert.match(told[0]!, new RegExp(`spans of this game day were not sent to http://127.0.0.1:${port}/v1/traces .*the game day goes on without them`));
  });

  it('`faultmesh gameday run --otlp-endpoint` sends the game day under TRACEPARENT', async () => {
    const due = new Date(Date.now() - 60_000).toISOString().slice(0, 16);
    const file = f.gameday(`gameday: From the CLI\ntimezone: UTC\nruns:\n  - { experiment: mark.yaml, id: once, at: ${due}, vars: { name: cli } }\n`);
    const parentTrace = 'c3'.repeat(16);
    const cli = await runCli(['gameday', 'run', file, '--out', join(f.dir.path, 'from-cli'), '--otlp-endpoint', collector.url], undefined, { TRACEPARENT: `00-${parentTrace}-${'d4'.repeat(8)}-01` });
    assert.equal(cli.code, 0, cli.stderr);
    const root = await rootOf('From the CLI');
    assert.equal(root.traceId, parentTrace);
    assert.equal(root.resource['service.name'], 'faultmesh-runner');
    assert.ok(collector.trace(parentTrace).some((s) => s.name === 'experiment mark' && s.parentSpanId === root.spanId), 'its run under it');
  });
});
