import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DashboardState } from '../../control/ui/dashboard-model.js';
import { MESH, startTestControl, type TestControl } from '../control/control-fixture.js';
import { send } from '../helpers/http-client.js';
import { waitFor } from '../helpers/wait.js';
import { openPageStream, type PageStream } from './sse-reader.js';

const TOKEN = 'ui-token';

describe('the control plane\u2019s /ui, over HTTP', () => {
  let control: TestControl;
  let page: PageStream;
  const state = (pick: (s: DashboardState) => boolean) => page.next<DashboardState>('state', pick);

  before(async () => {
    control = await startTestControl({ token: TOKEN });
    assert.equal((await control.call('PUT', '/v1/mesh', { text: MESH, file: 'mesh.yaml' })).status, 200);
    page = await openPageStream(control.url);
  });
  after(async () => {
    page?.close();
    await control?.stop();
  });

  it('serves the page with a strict content security policy and no inline script or style', async () => {
    const r = await send(control.url, { path: '/ui' });
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/html/);
    const csp = String(r.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    const html = r.text();
    assert.deepEqual([...html.matchAll(/<script\b[^>]*>/g)].filter((m) => !/\ssrc="\/ui\/assets\//.test(m[0])), [], 'every script is a file of the page');
    assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i, 'no inline style or handler');
  });

  it('serves only the page\u2019s own files, uPlot among them, from the package', async () => {
    const ok = await Promise.all(['app.js', 'map.js', 'dashboard.css', 'uPlot.iife.min.js', 'uPlot.min.css'].map((f) => send(control.url, { path: `/ui/assets/${f}` })));
    assert.deepEqual(ok.map((r) => r.status), [200, 200, 200, 200, 200]);
    assert.match(String(ok[0]!.headers['content-type']), /^text\/javascript/);
    assert.match(ok[3]!.text(), /uPlot/);
    for (const path of ['/ui/assets/..%2Fcontrol-ui.ts', '/ui/assets/index.html', '/ui/assets/package.json']) assert.equal((await send(control.url, { path })).status, 404, path);
  });

  it('refuses the page and its stream to a Host that is not the control plane\u2019s (DNS rebinding)', async () => {
    for (const path of ['/ui', '/ui/events']) {
      const r = await send(control.url, { path, headers: { host: 'evil.example' } });
      assert.equal(r.status, 403, path);
      assert.equal(r.json().code, 'HOST_NOT_ALLOWED');
    }
  });

  it('streams desired against observed, and a new fault with its rule, holder and lease', async () => {
    const first = await state(() => true);
    assert.equal(first.scope, 'mesh');
    assert.equal(first.tokenRequired, true);
    assert.deepEqual(first.services.map((s) => s.name), ['payments']);
    const added = await control.call('POST', '/v1/faults', { id: 'slow-pay', target: 'payments', match: { customers: ['acme'] }, delay: { fixed: '200ms' }, percentage: 50, ttl: '60s' });
    assert.equal(added.status, 201, added.text());
    const s = await state((x) => x.faults.some((f) => f.id === 'slow-pay'));
    const f = s.faults.find((x) => x.id === 'slow-pay')!;
    assert.deepEqual([f.target, f.match, f.action, f.percentage, f.holder.kind], ['payments', 'customers=acme', 'delay 200ms', 50, 'ttl']);
    assert.equal(f.endsAt - s.now, 60_000, 'its lease ends 60 s after it was added, on the control plane\u2019s clock');
  });

  it('names the run that holds a fault once it registered, and what can be known of one that did not', async () => {
    const lease = (await control.call('POST', '/v1/leases', { ttl: '30s' })).json<{ id: string }>().id;
    assert.equal((await control.call('POST', '/v1/faults', { id: 'held-by-run', target: 'payments', abort: { status: 503 }, lease })).status, 201);
    const unknown = await state((x) => x.runs.some((r) => r.kind === 'unregistered'));
    assert.equal(unknown.faults.find((f) => f.id === 'held-by-run')!.holder.kind, 'lease');
    assert.deepEqual(unknown.runs.find((r) => r.kind === 'unregistered')!.faults, ['held-by-run']);
    assert.ok(unknown.notes.some((n) => /PUT \/v1\/runs/.test(n)), 'the page says why the run has no name');

    const versionBefore = (await control.call('GET', '/healthz')).json<{ version: number }>().version;
    const run = { kind: 'experiment', name: 'payments-abort', state: 'running', phase: 'method', lease, faults: ['held-by-run'], probes: [{ name: 'checkout-success', value: 0.97, tolerance: '>= 0.99', ok: false, when: 'during' }] };
    const put = await control.call('PUT', '/v1/runs/run-1', run);
    assert.equal(put.status, 200, put.text());
    assert.equal((await control.call('GET', '/healthz')).json<{ version: number }>().version, versionBefore, 'a run is no desired state: no version, nothing pushed');
    const named = await state((x) => x.faults.some((f) => f.id === 'held-by-run' && f.holder.kind === 'run'));
    assert.deepEqual(named.faults.find((f) => f.id === 'held-by-run')!.holder, { kind: 'run', lease, run: 'payments-abort', runKind: 'experiment' });
    const shown = named.runs.find((r) => r.key === 'run:run-1')!;
    assert.deepEqual([shown.phase, shown.probes[0]!.value, shown.probes[0]!.ok, shown.faults], ['method', '0.97', false, ['held-by-run']]);

    assert.equal((await control.call('DELETE', `/v1/leases/${lease}`)).status, 200);
    await state((x) => x.runs.length === 0 && !x.faults.some((f) => f.id === 'held-by-run'));
    assert.deepEqual((await control.call('GET', '/v1/runs')).json<{ runs: unknown[] }>().runs, [], 'the run ended with its lease');
  });

  it('shows a canary from the route override it holds, with its split', async () => {
    const r = await control.call('PUT', '/v1/overrides/payments/0', { to: [{ labels: { version: 'v1' }, weight: 90 }, { labels: { version: 'v2' }, weight: 10 }], ttl: '30s', by: 'canary:payments-v2' });
    assert.equal(r.status, 200, r.text());
    const s = await state((x) => x.runs.some((run) => run.kind === 'canary'));
    const canary = s.runs.find((run) => run.kind === 'canary')!;
    assert.deepEqual([canary.name, canary.weights, canary.known], ['payments-v2', 'version=v1 90, version=v2 10', 'override']);
  });

  it('refuses a run without the token, and a run it cannot read, naming the field', async () => {
    const run = { kind: 'experiment', name: 'x', state: 'running', phase: 'method', ttl: '10s' };
    const anonymous = await send(control.url, { method: 'PUT', path: '/v1/runs/r2', headers: { 'content-type': 'application/json' }, body: JSON.stringify(run) });
    assert.equal(anonymous.status, 401);
    const bad = await control.call('PUT', '/v1/runs/r2', { ...run, kind: 'party' });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json<{ errors: Array<{ field: string }> }>().errors.map((e) => e.field), ['kind']);
    assert.equal((await control.call('PUT', '/v1/runs/bad%20id', run)).status, 400);
  });

  it('halts from the stream\u2019s point of view at once: the state says halted and the faults are gone', async () => {
    assert.equal((await control.call('POST', '/v1/halt')).status, 200);
    const s = await state((x) => x.halted);
    assert.deepEqual(s.faults, []);
    assert.match(s.haltedBy ?? '', /^api /);
    assert.equal((await control.call('POST', '/v1/resume')).status, 200);
    await waitFor(async () => !(await state(() => true)).halted, 'the state says resumed');
  });
});
