import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import type { DashboardState, MetricsFrame } from '../../control/ui/dashboard-model.js';
import { DashboardFeed } from '../../control/ui/sse-feed.js';
import { fakeTimers } from '../helpers/fake-timers.js';
import { waitFor } from '../helpers/wait.js';
import { openPageStream } from './sse-reader.js';

const state = (summary: string, now: number): DashboardState => ({
  scope: 'mesh', title: 't', now, halted: false, tokenRequired: false, actions: { halt: true, removeFault: true },
  summary, discrepancies: [], services: [], faults: [], proxies: [], runs: [], notes: [],
});

describe('the dashboard\u2019s event stream', () => {
  const clock = fakeTimers();
  let summary = 'first';
  let builds = 0;
  let scrapes = 0;
  let requests = 0;
  let changed: (() => void) | undefined;
  let server: Server;
  let url: string;
  const feed = new DashboardFeed(
    {
      build: async () => (builds++, state(summary, clock.now())),
      watch: (listener) => ((changed = listener), () => (changed = undefined)),
      targets: async () => [{ id: 'p1', read: async () => (scrapes++, `faultmesh_requests_total{source="web",destination="api",code="200"} ${(requests += 20)}\n`) }],
    },
    { timers: clock, tickMs: 1000, scrapeMs: 2000 },
  );

  before(async () => {
    const app = express();
    app.get('/ui/events', (_req, res) => feed.attach(res));
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    feed.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends the state on connect, and a change the moment it is announced, with no timer having run', async () => {
    const page = await openPageStream(url);
    assert.equal(page.headers['content-type'], 'text/event-stream; charset=utf-8');
    assert.equal((await page.next<DashboardState>('state')).summary, 'first');
    summary = 'a fault was added';
    changed!();
    // The clock has not moved: the change went out on the announcement alone, not on a tick.
    assert.equal((await page.next<DashboardState>('state', (s) => s.summary === 'a fault was added')).summary, 'a fault was added');
    page.close();
    await waitFor(() => feed.size === 0, 'the feed saw the page leave');
  });

  it('does not send a state again when only its clock moved', async () => {
    summary = 'steady';
    const page = await openPageStream(url);
    await page.next('state', (s: DashboardState) => s.summary === 'steady');
    const before = builds;
    await clock.advance(3000);
    await waitFor(() => builds >= before + 3, 'three ticks rebuilt the state');
    assert.equal(page.events.filter((e) => e.event === 'state').length, 1, 'the same state is sent once');
    page.close();
    await waitFor(() => feed.size === 0, 'the feed saw the page leave');
  });

  it('scrapes while a page is open: the edge at once, measuring; its rate a second later; then every scrapeMs; no timer once the last page leaves', async () => {
    const page = await openPageStream(url);
    const first = await page.next<MetricsFrame>('metrics');
    assert.equal(first.measuring, true, 'one scrape cannot tell a rate');
    assert.deepEqual(first.edges.map((e) => [e.source, e.destination, e.rps]), [['web', 'api', null]], 'but it tells the edge exists');
    await waitFor(() => clock.pending() >= 3, 'the second scrape is set');
    await clock.advance(1000);
    const second = await page.next<MetricsFrame>('metrics', (m) => !m.measuring);
    assert.deepEqual(second.edges.map((e) => [e.source, e.destination, e.rps]), [['web', 'api', 20]], '20 calls in the second between the first two scrapes');
    const before = scrapes;
    await clock.advance(1000);
    assert.equal(scrapes, before, 'after the first two, scrapes are scrapeMs apart');
    await clock.advance(1000);
    await waitFor(() => scrapes === before + 1, 'the third scrape ran at 2 s');
    page.close();
    await waitFor(() => feed.size === 0, 'the feed saw the page leave');
    assert.equal(clock.pending(), 0, 'no tick, scrape or ping is left set');
    const at = scrapes;
    await clock.advance(10_000);
    assert.equal(scrapes, at, 'no proxy is scraped while no page is open');
    assert.equal(changed, undefined, 'the feed stopped listening for changes');
  });
});
