import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkToxiproxyOptions, startToxiproxyServer } from '../../../toxiproxy/server.js';
import { ApiFixture, type Api } from './api-fixture.js';

describe('who may use the Toxiproxy API', () => {
  const f = new ApiFixture();
  let open: Api;
  let guarded: Api;
  let upstream: string;
  before(async () => {
    ({ api: open } = await f.start({ hosts: ['toxiproxy.internal'] }));
    ({ api: guarded } = await f.start({ token: 's3cret' }));
    upstream = (await f.echo()).address;
  });
  after(() => f.close());

  it('refuses a Host that is no name of the server (DNS rebinding), even to read, and names the flag that allows one', async () => {
    const r = await open.get('/proxies', { host: 'evil.example' });
    assert.equal(r.status, 403);
    assert.deepEqual(Object.keys(r.json()), ['error', 'status']);
    assert.match(String(r.json().error), /Host evil\.example .*--host evil\.example/);
    assert.equal((await open.post('/proxies', { name: 'x', upstream }, { host: 'evil.example:8474' })).status, 403);
    assert.equal((await open.get('/proxies/x', { host: 'evil.example' })).status, 403);
  });

  it('answers on loopback names and on a --host name', async () => {
    assert.equal((await open.get('/proxies', { host: 'localhost:8474' })).status, 200);
    assert.equal((await open.get('/proxies', { host: 'toxiproxy.internal:8474' })).status, 200);
  });

  it('refuses a state change from another web origin, and any request from a browser, as Toxiproxy does', async () => {
    const fromPage = await open.post('/proxies', { name: 'x', upstream }, { origin: 'https://evil.example' });
    assert.equal(fromPage.status, 403);
    assert.equal(fromPage.json().status, 403);
    const crossSite = await open.post('/reset', undefined, { 'sec-fetch-site': 'cross-site' });
    assert.equal(crossSite.status, 403);
    const browser = await open.get('/proxies', { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' });
    assert.deepEqual([browser.status, browser.json()], [403, { error: 'User agent not allowed', status: 403 }]);
    assert.equal((await open.get('/proxies/x')).status, 404, 'no proxy was created');
  });

  it('needs the token for every change when one is set, and for no read', async () => {
    const refused = await guarded.post('/proxies', { name: 'x', upstream });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers['www-authenticate'], 'Bearer');
    assert.match(String(refused.json().error), /Authorization: Bearer/);
    assert.equal((await guarded.post('/proxies', { name: 'x', upstream }, { authorization: 'Bearer wrong' })).status, 401);
    assert.equal((await guarded.post('/proxies', { name: 'x', upstream }, { authorization: 'Bearer s3cret' })).status, 201);
    assert.equal((await guarded.get('/proxies/x')).status, 200);
    assert.equal((await guarded.get('/version')).status, 200);
    assert.equal((await guarded.del('/proxies/x')).status, 401);
    assert.equal((await guarded.post('/reset')).status, 401);
    assert.equal((await guarded.del('/proxies/x', { authorization: 'bearer s3cret' })).status, 204);
  });

  it('refuses to listen beyond loopback without a token, and a blank token anywhere', async () => {
    assert.throws(() => checkToxiproxyOptions({ listen: { host: '0.0.0.0', port: 8474 }, token: undefined }), (err: Error & { code?: string }) => err.code === 'ADMIN_EXPOSED' && /0\.0\.0\.0 without a token/.test(err.message));
    await assert.rejects(startToxiproxyServer({ listen: { host: '0.0.0.0', port: 0 }, version: 't' }), /without a token/);
    assert.throws(() => checkToxiproxyOptions({ listen: { host: '127.0.0.1', port: 8474 }, token: '  ' }), /blank/);
    assert.doesNotThrow(() => checkToxiproxyOptions({ listen: { host: '0.0.0.0', port: 8474 }, token: 't' }));
  });
});
