import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../../proxy/config/config-error.js';
import { loadToxiproxyConfig } from '../../../toxiproxy/config/load-config.js';
import { startToxiproxyServer } from '../../../toxiproxy/server.js';
import { freePort } from '../loopback.js';
import { ApiFixture, apiAt, roundTrip } from './api-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'faultmesh-toxiproxy-config-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('faultmesh toxiproxy --config', () => {
  const f = new ApiFixture();
  let upstream: string;
  before(async () => {
    upstream = (await f.echo()).address;
  });
  after(async () => {
    await f.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("loads Toxiproxy's own JSON config, and the server starts with its proxies", async () => {
    const file = write('toxiproxy.json', JSON.stringify([
      { name: 'web_dev_frontend_1', listen: '127.0.0.1:0', upstream, enabled: true },
      { name: 'web_dev_mysql_1', listen: 'localhost:0', upstream, enabled: false },
    ], null, 2));
    const { server, api } = await f.start({ config: loadToxiproxyConfig(file) });
    const all = (await api.get('/proxies')).json<Record<string, { enabled: boolean; listen: string }>>();
    assert.deepEqual(Object.entries(all).map(([n, p]) => [n, p.enabled]), [['web_dev_frontend_1', true], ['web_dev_mysql_1', false]]);
    await roundTrip(await f.dial(all.web_dev_frontend_1!.listen), 'up');
    void server;
  });

  it('loads the same in YAML, with toxics (and a ttl) on a proxy', async () => {
    const file = write('toxiproxy.yaml', ['- name: cache', '  upstream: ' + upstream, '  toxics:', '    - type: latency', '      attributes: { latency: 200 }', '    - name: cut', '      type: limit_data', '      stream: upstream', '      attributes: { bytes: 100 }', '      ttl: 1h', ''].join('\n'));
    const { api } = await f.start({ config: loadToxiproxyConfig(file) });
    const toxics = (await api.get('/proxies/cache/toxics')).json<{ name: string; stream: string; expires_at?: string }[]>();
    assert.deepEqual(toxics.map((t) => [t.name, t.stream, t.expires_at !== undefined]), [['cut', 'upstream', true], ['latency_downstream', 'downstream', false]]);
    const listen = (await api.get('/proxies/cache')).json<{ listen: string }>().listen;
    assert.ok((await roundTrip(await f.dial(listen), 'slow')) >= 190, 'the latency toxic is in force from the start');
  });

  // Each bad file, and where its error is reported: file:line:column field: message.
  const bad: [string, string, RegExp][] = [
    ['not-a-list.json', '{"name": "x"}', /not-a-list\.json:1:1 a Toxiproxy config is a list of proxies/],
    ['typo.json', '[\n  {\n    "name": "a",\n    "upstrem": "localhost:1"\n  }\n]', /typo\.json:4:5 \[0\]\.upstrem: unknown field/],
    ['no-upstream.json', '[\n  { "name": "a" }\n]', /no-upstream\.json:2:\d+ \[0\]\.upstream: required field is missing/],
    ['bad-listen.json', '[\n  { "name": "a", "upstream": "localhost:1",\n    "listen": "everywhere" }\n]', /bad-listen\.json:3:15 \[0\]\.listen: "everywhere" is not host:port/],
    ['bad-upstream.json', '[{ "name": "a", "upstream": "redis" }]', /bad-upstream\.json:1:\d+ \[0\]\.upstream: "redis" is not host:port/],
    ['bad-stream.yaml', '- name: a\n  upstream: localhost:1\n  toxics:\n    - type: latency\n      stream: sideways\n', /bad-stream\.yaml:5:15 \[0\]\.toxics\[0\]\.stream: must be upstream/],
    ['bad-type.yaml', '- name: a\n  upstream: localhost:1\n  toxics:\n    - type: lag\n', /bad-type\.yaml:4:13 \[0\]\.toxics\[0\]\.type: must be one of latency/],
    ['bad-attribute.yaml', '- name: a\n  upstream: localhost:1\n  toxics:\n    - type: latency\n      attributes:\n        latency: "100"\n', /bad-attribute\.yaml:6:18 \[0\]\.toxics\[0\]\.attributes\.latency: expected a whole number/],
    ['bad-ttl.yaml', '- name: a\n  upstream: localhost:1\n  toxics:\n    - type: latency\n      ttl: forever\n', /bad-ttl\.yaml:5:12 \[0\]\.toxics\[0\]\.ttl: "forever" is not a duration/],
    ['same-name.yaml', '- name: a\n  upstream: localhost:1\n- name: a\n  upstream: localhost:2\n', /same-name\.yaml:3:9 \[1\]\.name: proxy "a" is already defined by proxy 1/],
    ['same-toxic.yaml', '- name: a\n  upstream: localhost:1\n  toxics:\n    - type: latency\n    - type: latency\n', /same-toxic\.yaml:5:\d+ \[0\]\.toxics\[1\]\.name: toxic already exists/],
    ['same-listen.yaml', '- name: a\n  listen: 127.0.0.1:22220\n  upstream: localhost:1\n- name: b\n  listen: localhost:22220\n  upstream: localhost:1\n', /same-listen\.yaml:5:11 \[1\]\.listen: 127\.0\.0\.1:22220 is already the listen address of proxy 1/],
    ['syntax.json', '[{"name": "a",, }]', /syntax\.json:1:\d+ /],
  ];
  for (const [name, text, expected] of bad) {
    it(`reports ${name} at its file, line and field`, () => {
      const file = write(name, text);
      assert.throws(() => loadToxiproxyConfig(file), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, expected);
        return true;
      });
    });
  }

  it('reports every problem of a file at once', () => {
    const file = write('two.yaml', '- name: a\n  upstream: redis\n- name: b\n  upstream: localhost:1\n  toxics:\n    - type: slicer\n');
    assert.throws(() => loadToxiproxyConfig(file), (err: unknown) => err instanceof ConfigError && err.issues.length === 2 && err.issues[0]!.line === 2 && err.issues[1]!.line === 6);
  });

  it('reports a missing file as one issue naming it', () => {
    assert.throws(() => loadToxiproxyConfig(join(dir, 'nope.json')), /nope\.json: file not found/);
  });

  it('refuses to start when a proxy cannot listen, naming its listen line, and leaves none of the others listening', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    const first = await freePort();
    const file = write('clash.json', `[\n  { "name": "first", "listen": "127.0.0.1:${first}", "upstream": "${upstream}" },\n  { "name": "second",\n    "listen": "127.0.0.1:${taken}", "upstream": "${upstream}" }\n]`);
    try {
      await assert.rejects(startToxiproxyServer({ listen: { host: '127.0.0.1', port: 0 }, version: 't', config: loadToxiproxyConfig(file) }), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /clash\.json:4:15 \[1\]\.listen: proxy second cannot listen on 127\.0\.0\.1:\d+: the address is already in use/);
        return true;
      });
      await assert.rejects(f.dial(`127.0.0.1:${first}`), /ECONNREFUSED/, 'the first proxy was closed again');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('starts the API only after the config is in: the first request sees every proxy', async () => {
    const file = write('ready.json', JSON.stringify([{ name: 'ready', upstream }]));
    const server = await startToxiproxyServer({ listen: { host: '127.0.0.1', port: 0 }, version: 't', config: loadToxiproxyConfig(file) });
    try {
      assert.equal((await apiAt(server.url).get('/proxies/ready')).status, 200);
    } finally {
      await server.close();
    }
  });
});
