import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runReport } from '../../reports/report-model.js';
import { loadExperiment } from '../../runner/experiment/load-experiment.js';
import { progressPrinter } from '../../runner/progress.js';
import { runExperiment } from '../../runner/run-experiment.js';
import { openStream, startTestControl, type StreamClient, type TestControl } from '../control/control-fixture.js';
import { tempDir } from '../helpers/mesh-fixture.js';

/** A stand-in proxy that acknowledges every snapshot it is sent, as applied. */
function acking(control: TestControl, stream: StreamClient, id: string): () => void {
  let acked = 0;
  const timer = setInterval(() => {
    const snapshots = stream.snapshots();
    for (const s of snapshots.slice(acked)) void control.call('POST', `/v1/proxies/${id}/ack`, { version: s.data.version, applied: true }).catch(() => {}); // an ack cut off by the test's end
    acked = snapshots.length;
  }, 10);
  return () => clearInterval(timer);
}

describe('a run through the control plane says so', () => {
  let control: TestControl;
  const dir = tempDir();
  const stops: Array<() => void> = [];
  before(async () => {
    control = await startTestControl();
    for (const id of ['pay-proxy-1', 'pay-proxy-2']) {
      const stream = await openStream(control.url, { id, service: 'web' });
      stops.push(acking(control, stream, id), () => stream.close());
    }
  });
  after(async () => {
    for (const stop of stops) stop();
    await control.stop();
    dir.remove();
  });

  it('prints "through the control plane URL", not "on 1 proxy", and records which proxies applied the fault', { timeout: 30_000 }, async () => {
    const exp = loadExperiment(
      dir.file('through-control.yaml', `title: through the control plane\nconfiguration: { control: "${control.url}" }\nmethod:\n  - { type: action, name: pay-503, provider: { type: fault, rule: { target: payments, abort: { status: 503 } }, duration: 1s } }\n`),
      { env: {} },
    );
    let printed = '';
    const out = { isTTY: false, write: (s: string) => ((printed += s), true) } as unknown as NodeJS.WriteStream;
    const journal = await runExperiment(exp, { events: progressPrinter(out), leaseMs: 3000 });
    assert.equal(journal.status, 'completed', JSON.stringify(journal.errors));
    assert.match(printed, new RegExp(`fault pay-503-\\S+ injected through the control plane ${control.url}: payments: abort 503`));
    assert.doesNotMatch(printed, /on 1 proxy/);
    const fault = journal.faults[0]!;
    assert.deepEqual(fault.controls, [control.url]);
    assert.deepEqual([...(fault.appliedBy ?? [])].sort(), ['pay-proxy-1', 'pay-proxy-2']);
    assert.match(printed, /removed after \d+\.\ds, matched 0, hit 0, applied by 2 proxies \(pay-proxy-\d, pay-proxy-\d\)/);
    // The report names the control plane and its proxies; the URL is the cell's tooltip.
    const where = runReport(journal).faults[0]![2] as { text: string; title: string };
    assert.deepEqual([where.text.replace(/\d/g, 'N'), where.title], ['control plane, applied by pay-proxy-N (web), pay-proxy-N (web)', control.url]);
  });
});
