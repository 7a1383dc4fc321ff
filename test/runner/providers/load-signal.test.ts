import assert from 'node:assert/strict';
import { getEventListeners, once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { providerSchema, type ProviderOf } from '../../../runner/experiment/provider-schema.js';
import { runLoad } from '../../../runner/providers/load.js';
import { waitFor } from '../../helpers/wait.js';

const load = (raw: Record<string, unknown>) => providerSchema.parse({ type: 'load', target: 'slow', ...raw }) as ProviderOf<'load'>;

describe('the load provider and the abort signal it shares', () => {
  // Answers only when told to: requests pile up in flight, as they do behind a slow mesh.
  const waiting = new Set<ServerResponse>();
  const server = createServer((_req, res) => {
    waiting.add(res);
    res.on('close', () => waiting.delete(res));
  });
  let url = '';
  const answerAll = () => {
    for (const res of waiting) res.end('ok');
  };
  before(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  it('adds one abort listener for the whole load however many requests are in flight, so Node never warns of a leak', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const run = new AbortController();
      const traffic = runLoad(load({ proxy: url, rate: 100, duration: '3s', timeout: '10s' }), { signal: run.signal });
      await waitFor(() => waiting.size >= 20, '20 requests are in flight at once');
      const listeners = getEventListeners(run.signal, 'abort').length;
      answerAll();
      run.abort();
      const out = await traffic;
      assert.ok(listeners <= 2, `${listeners} abort listeners on the run's signal with 20 requests in flight`);
      assert.equal(getEventListeners(run.signal, 'abort').length, 0, 'none left once the load ended');
      assert.ok(out.requests >= 20, `${out.requests} requests counted`);
      // Node emits the warning on a later tick; the condition to wait on is the load being over, which it is.
      await new Promise((done) => setImmediate(done));
      assert.deepEqual(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning')), []);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('still stops at once when the run is stopped: requests in flight are cut and counted as errors', async () => {
    const run = new AbortController();
    const traffic = runLoad(load({ proxy: url, rate: 50, duration: '1h', timeout: '1h' }), { signal: run.signal });
    await waitFor(() => waiting.size >= 5, 'requests are in flight');
    run.abort();
    const out = await traffic;
    assert.ok(out.errors >= 5, `${out.errors} requests cut short`);
    await waitFor(() => waiting.size === 0, 'the server saw every request end');
  });
});
