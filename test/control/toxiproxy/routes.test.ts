import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ControlFailure } from '../../../toxiproxy/control/control-api.js';
import { startToxiproxyServer } from '../../../toxiproxy/server.js';
import { send } from '../../helpers/http-client.js';
import { startTestControl, type TestControl } from '../control-fixture.js';

const TOKEN = 'toxiproxy-control-token';
const UPSTREAM = '127.0.0.1:6379';

// The control plane's /v1/toxiproxy routes, called directly: Toxiproxy's bodies and codes,
// under the control plane's token and Host rules, and the long poll the processes use.
describe('the control plane /v1/toxiproxy routes', () => {
  let control: TestControl;
  const call = (method: string, path: string, body?: unknown, token = TOKEN) => control.call(method, `/v1/toxiproxy${path}`, body, token);
  before(async () => {
    control = await startTestControl({ token: TOKEN, maxTtlMs: 60_000 });
  });
  beforeEach(async () => {
    await call('POST', '/populate', []);
    for (const p of (await call('GET', '')).json<{ proxies: { name: string }[] }>().proxies) await call('DELETE', `/proxies/${p.name}`);
  });
  after(() => control.stop());

  it('creates, changes and removes with Toxiproxy status codes, each answer carrying the revision', async () => {
    const created = await call('POST', '/proxies', { name: 'db', upstream: UPSTREAM });
    assert.equal(created.status, 201);
    assert.deepEqual(created.json(), { name: 'db', listen: '127.0.0.1:0', upstream: UPSTREAM, enabled: true, toxics: [] });
    const revision = Number(created.headers['x-faultmesh-toxiproxy-revision']);
    assert.ok(revision > 0);
    const toxic = await call('POST', '/proxies/db/toxics', { type: 'latency', attributes: { latency: 5 } });
    assert.deepEqual([toxic.status, toxic.json().name], [200, 'latency_downstream']);
    assert.ok(Number(toxic.headers['x-faultmesh-toxiproxy-revision']) > revision);
    const updated = await call('PATCH', '/proxies/db/toxics/latency_downstream', { attributes: { jitter: 2 } });
    assert.deepEqual(updated.json().attributes, { latency: 5, jitter: 2 });
    assert.equal((await call('PATCH', '/proxies/db', { enabled: false })).json().enabled, false);
    assert.equal((await call('DELETE', '/proxies/db/toxics/latency_downstream')).status, 204);
    assert.equal((await call('DELETE', '/proxies/db')).status, 204);
    assert.deepEqual((await call('GET', '')).json().proxies, []);
  });

  for (const [what, method, path, body, status, error] of [
    ['a duplicate proxy', 'POST', '/proxies', { name: 'db', upstream: UPSTREAM }, 409, 'proxy already exists'],
    ['a proxy without upstream', 'POST', '/proxies', { name: 'x' }, 400, 'missing required field: upstream'],
    ['a missing proxy', 'PATCH', '/proxies/nope', { enabled: false }, 404, 'proxy not found'],
    ['a toxic of a missing proxy', 'POST', '/proxies/nope/toxics', { type: 'latency' }, 404, 'proxy not found'],
    ['a missing toxic', 'DELETE', '/proxies/db/toxics/nope', undefined, 404, 'toxic not found'],
    ['a bad stream', 'POST', '/proxies/db/toxics', { type: 'latency', stream: 'sideways' }, 400, 'stream was invalid, can be either upstream or downstream'],
    ['a bad attribute', 'POST', '/proxies/db/toxics', { type: 'latency', attributes: { latency: -1 } }, 400, /^bad request body: attributes\.latency: /],
    ['a ttl past --max-ttl', 'POST', '/proxies/db/toxics', { type: 'latency', ttl: '2m' }, 400, "bad request body: ttl: 2m is longer than this control plane's leases may be (control --max-ttl 1m)"],
  ] as const) {
    it(`refuses ${what} with ${status} in Toxiproxy's shape, and changes nothing`, async () => {
      await call('POST', '/proxies', { name: 'db', upstream: UPSTREAM });
      const before = (await call('GET', '')).json();
      const r = await call(method, path, body);
      assert.equal(r.status, status, r.text());
      assert.equal(r.json().status, status);
      if (typeof error === 'string') assert.equal(r.json().error, error);
      else assert.match(r.json<{ error: string }>().error, error);
      assert.deepEqual((await call('GET', '')).json(), before);
    });
  }

  it('refuses a change or a read of the set without the token (401), and a call from a Host that is not its own (403)', async () => {
    const r = await call('POST', '/proxies', { name: 'db', upstream: UPSTREAM }, '');
    assert.equal(r.status, 401);
    assert.equal((await call('GET', '', undefined, '')).status, 401, 'the feed of the processes asks for the token too');
    const rebound = await send(control.url, { method: 'GET', path: '/v1/toxiproxy', headers: { host: 'evil.example:80' } });
    assert.equal(rebound.status, 403);
    assert.deepEqual((await call('GET', '')).json().proxies, []);
  });

  it('answers a long poll as soon as the set changes, and at once when the caller is behind', async () => {
    const { revision } = (await call('GET', '')).json<{ revision: number }>();
    const polled = call('GET', `?after=${revision}&wait=20000`);
    const started = performance.now();
    await call('POST', '/proxies', { name: 'db', upstream: UPSTREAM });
    const answer = await polled;
    assert.ok(performance.now() - started < 15_000, 'answered by the change, not by the end of the wait');
    assert.ok(answer.json<{ revision: number }>().revision > revision);
    assert.equal(answer.json<{ proxies: unknown[] }>().proxies.length, 1);
    const behind = await call('GET', `?after=${revision}&wait=20000`);
    assert.equal(behind.json<{ proxies: unknown[] }>().proxies.length, 1);
  });

  it('answers a long poll when a lease ends, the toxic swept from the set and counted', async () => {
    await call('POST', '/proxies', { name: 'db', upstream: UPSTREAM });
    await call('POST', '/proxies/db/toxics', { type: 'timeout', ttl: '5s' });
    const set = (await call('GET', '')).json<{ revision: number; leasesEnded: number; proxies: { toxics: { remainingMs: number }[] }[] }>();
    assert.equal(set.proxies[0]!.toxics[0]!.remainingMs, 5_000);
    const polled = call('GET', `?after=${set.revision}&wait=20000`);
    await control.clock.advance(5_000);
    const after = (await polled).json<{ leasesEnded: number; proxies: { toxics: unknown[] }[] }>();
    assert.deepEqual(after.proxies[0]!.toxics, []);
    assert.equal(after.leasesEnded, set.leasesEnded + 1);
  });

  it('is what a toxiproxy server with --control-token starts on; one without the token is refused at start', async () => {
    await assert.rejects(
      startToxiproxyServer({ listen: { host: '127.0.0.1', port: 0 }, version: '0', control: { urls: [control.url] } }),
      (err: unknown) => err instanceof ControlFailure && err.kind === 'REFUSED' && /refused this server \(401: .*\): give its token with --control-token/.test(err.message),
    );
    const server = await startToxiproxyServer({ listen: { host: '127.0.0.1', port: 0 }, version: '0', control: { urls: [control.url], token: TOKEN } });
    try {
      assert.equal((await send(server.url, { method: 'POST', path: '/proxies', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'db', upstream: UPSTREAM }) })).status, 201);
      assert.equal((await call('GET', '')).json<{ proxies: unknown[] }>().proxies.length, 1);
    } finally {
      await server.close();
    }
  });
});
