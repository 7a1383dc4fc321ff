import assert from 'node:assert/strict';
import { getEventListeners, once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { scrapeProxies } from '../../runner/mesh-metrics.js';
import { waitFor } from '../helpers/wait.js';

const METRICS = 'faultmesh_requests_total{destination="payments",status_class="2xx"} 7\n';

describe('scraping many proxies with the run signal', () => {
  // Twelve "proxies" that answer /metrics only when told to, so every scrape is in flight at once.
  const waiting = new Set<ServerResponse>();
  const servers = Array.from({ length: 12 }, () =>
    createServer((_req, res) => {
      waiting.add(res);
      res.on('close', () => waiting.delete(res));
    }),
  );
  const admins: string[] = [];
  before(async () => {
    for (const s of servers) {
      s.listen(0, '127.0.0.1');
      await once(s, 'listening');
      admins.push(`http://127.0.0.1:${(s.address() as AddressInfo).port}`);
    }
  });
  after(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((done) => s.close(done));
    }
  });

  it('adds one abort listener to the run signal for twelve proxies in flight, and none is left after', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const run = new AbortController();
      const scraped = scrapeProxies(admins, run.signal);
      await waitFor(() => waiting.size === 12, 'all twelve scrapes are in flight');
      const listeners = getEventListeners(run.signal, 'abort').length;
      for (const res of waiting) res.end(METRICS);
      const results = await scraped;
      assert.equal(listeners, 1);
      assert.equal(getEventListeners(run.signal, 'abort').length, 0);
      assert.deepEqual(results.map((r) => r.status), Array(12).fill('fulfilled'));
      await new Promise((done) => setImmediate(done));
      assert.deepEqual(warnings.filter((w) => w === 'MaxListenersExceededWarning'), []);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('still cuts every scrape in flight when the run is stopped', async () => {
    const run = new AbortController();
    const scraped = scrapeProxies(admins, run.signal);
    await waitFor(() => waiting.size === 12, 'all twelve scrapes are in flight');
    run.abort();
    const results = await scraped;
    assert.deepEqual(results.map((r) => r.status), Array(12).fill('rejected'));
  });
});
