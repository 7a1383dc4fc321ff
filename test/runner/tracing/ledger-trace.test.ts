import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FaultLedger } from '../../../runner/fault-ledger.js';
import { startFaultFixture, TOKEN, type FaultFixture } from '../../helpers/fault-fixture.js';
import { send } from '../../helpers/http-client.js';

describe("the fault ledger and a run's trace", () => {
  let mesh: FaultFixture;
  before(async () => (mesh = await startFaultFixture()));
  after(() => mesh.stop());

  const ruleOnProxy = async (id: string) => (await send(mesh.proxy.adminUrl, { path: `/v1/faults/${id}` })).json<{ spec?: { traceparent?: string }; traceparent?: string }>();
  const ledgerWith = (traceparent: (activity: string) => string | undefined) => new FaultLedger({ runId: 'trace', leaseMs: 2000, token: TOKEN, events: {}, now: Date.now, traceparent });

  it("puts each fault on with its activity's trace context", async () => {
    const context = `00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-01`;
    const seen: string[] = [];
    const ledger = ledgerWith((activity) => (seen.push(activity), context));
    const record = await ledger.inject('slow-payments', [mesh.proxy.adminUrl], { target: 'payments', match: {}, percentage: 100, phase: 'request', abort: { status: 503 } });
    try {
      assert.deepEqual(seen, ['slow-payments']);
      assert.equal((record.rule as { traceparent?: string }).traceparent, context, 'the journal shows it too');
      assert.match(JSON.stringify(await ruleOnProxy(record.id)), new RegExp(context), 'the proxy holds it with the rule');
    } finally {
      await ledger.releaseAll();
    }
  });

  it('injects the fault all the same when the tracing side throws', async () => {
    const ledger = ledgerWith(() => {
      throw new Error('tracing broke');
    });
    const record = await ledger.inject('pay-503', [mesh.proxy.adminUrl], { target: 'payments', match: {}, percentage: 100, phase: 'request', abort: { status: 503 } });
    try {
      assert.equal(record.state, 'held');
      assert.equal((record.rule as { traceparent?: string }).traceparent, undefined);
    } finally {
      await ledger.releaseAll();
    }
  });
});
