import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEchoUpstream, type EchoUpstream } from '../../../demo/echo-upstream.js';
import { ConfigError } from '../../../proxy/config/config-error.js';
import { loadExperiment } from '../../../runner/experiment/load-experiment.js';
import { providerSchema, type ProviderOf } from '../../../runner/experiment/provider-schema.js';
import { runHttp } from '../../../runner/providers/http.js';
import { runProcess } from '../../../runner/providers/process.js';
import { tempDir } from '../../helpers/mesh-fixture.js';
import { providerContext } from '../../helpers/runner-fixture.js';

const parse = <T extends 'http' | 'process'>(raw: Record<string, unknown>) => providerSchema.parse(raw) as ProviderOf<T>;

describe('http provider', () => {
  let upstream: EchoUpstream;
  before(async () => (upstream = await startEchoUpstream({ service: 'api', instance: 'api-1' })));
  after(() => upstream.close());

  it('returns status, headers and the parsed JSON body; arguments become the query of a GET', async () => {
    const out = await runHttp(parse<'http'>({ type: 'http', url: `${upstream.url}/items`, arguments: { q: 'shoes', n: 2 }, headers: { 'x-test': '1' } }), providerContext().ctx);
    assert.equal(out.status, 200);
    assert.equal(out.headers['x-instance'], 'api-1');
    const body = out.body as { url: string; headers: Record<string, string> };
    assert.equal(body.url, '/items?q=shoes&n=2');
    assert.equal(body.headers['x-test'], '1');
  });

  it('sends arguments as a JSON body with other methods', async () => {
    const out = await runHttp(parse<'http'>({ type: 'http', url: `${upstream.url}/echo`, method: 'post', arguments: { amount: 3 } }), providerContext().ctx);
    assert.equal(out.headers['x-echo-method'], 'POST');
    assert.deepEqual(out.body, { amount: 3 });
  });

  it('fails when the answer takes longer than timeout seconds, or the server is unreachable', async () => {
    await assert.rejects(runHttp(parse<'http'>({ type: 'http', url: `${upstream.url}/?delay=2000`, timeout: 0.2 }), providerContext().ctx));
    await assert.rejects(runHttp(parse<'http'>({ type: 'http', url: `${upstream.url}/?delay=2000`, timeout: [1, 0.2] }), providerContext().ctx));
    await assert.rejects(runHttp(parse<'http'>({ type: 'http', url: 'http://127.0.0.1:1/' }), providerContext().ctx));
  });

  it('takes its timeout as a duration string as well as seconds, and keeps to it', async () => {
    assert.equal(parse<'http'>({ type: 'http', url: upstream.url, timeout: '5s' }).timeout, 5000);
    assert.equal(parse<'http'>({ type: 'http', url: upstream.url, timeout: 5 }).timeout, 5000);
    assert.deepEqual(parse<'http'>({ type: 'http', url: upstream.url, timeout: [1, '250ms'] }).timeout, [1000, 250]);
    const out = await runHttp(parse<'http'>({ type: 'http', url: `${upstream.url}/?delay=50`, timeout: '30s' }), providerContext().ctx);
    assert.equal(out.status, 200);
    // 200 ms, not 200 s: the call is cut long before the 20 s answer.
    await assert.rejects(runHttp(parse<'http'>({ type: 'http', url: `${upstream.url}/?delay=20000`, timeout: '200ms' }), providerContext().ctx), /timed out after 0.2s \(waiting for the response headers\)$/);
  });

  it('fails on another status than expected_status', async () => {
    await assert.rejects(runHttp(parse<'http'>({ type: 'http', url: `${upstream.url}/?status=503`, expected_status: 200 }), providerContext().ctx), /answered 503, expected 200/);
  });
});

describe('process provider', () => {
  it('returns the exit status and output; a string of arguments runs through a shell', async () => {
    const out = await runProcess(parse<'process'>({ type: 'process', path: process.execPath, arguments: `-e "console.log('a b'); console.error('warn'); process.exit(3)"` }), providerContext().ctx);
    assert.deepEqual(out, { status: 3, stdout: 'a b\n', stderr: 'warn\n' });
  });

  it('takes a list of arguments as they are', async () => {
    const out = await runProcess(parse<'process'>({ type: 'process', path: process.execPath, arguments: ['-e', 'console.log(process.argv.length)', 'x', 7] }), providerContext().ctx);
    assert.equal(out.stdout, '3\n');
  });

  it('kills a process that runs past its timeout, and fails', async () => {
    await assert.rejects(runProcess(parse<'process'>({ type: 'process', path: process.execPath, arguments: ['-e', 'setTimeout(() => {}, 10000)'], timeout: 0.2 }), providerContext().ctx), /ran past its 200ms timeout/);
  });

  it('takes its timeout as a duration string, and says it in the same form', async () => {
    assert.equal(parse<'process'>({ type: 'process', path: 'ls', timeout: '1m' }).timeout, 60_000);
    await assert.rejects(runProcess(parse<'process'>({ type: 'process', path: process.execPath, arguments: ['-e', 'setTimeout(() => {}, 20000)'], timeout: '300ms' }), providerContext().ctx), /ran past its 300ms timeout/);
  });

  it('fails when the program does not exist', async () => {
    await assert.rejects(runProcess(parse<'process'>({ type: 'process', path: 'faultmesh-no-such-program' }), providerContext().ctx), /not found/);
  });
});

describe('provider timeouts in an experiment file', () => {
  const dir = tempDir();
  after(() => dir.remove());
  const issuesFor = (provider: string): string => {
    const file = dir.file(`exp-${Math.random().toString(36).slice(2)}.yaml`, `title: t\nmethod:\n  - { type: probe, name: p, provider: ${provider} }\n`);
    try {
      loadExperiment(file);
    } catch (err) {
      assert.ok(err instanceof ConfigError, String(err));
      return err.message;
    }
    return 'accepted';
  };

  it('accepts seconds and duration strings for http and process timeouts', () => {
    for (const timeout of ['5', '5s', '"250ms"', '[1, 2s]']) assert.equal(issuesFor(`{ type: http, url: "http://127.0.0.1:1/", timeout: ${timeout} }`), 'accepted', timeout);
    for (const timeout of ['5', '5s', '1.5m']) assert.equal(issuesFor(`{ type: process, path: ls, timeout: ${timeout} }`), 'accepted', timeout);
  });

  for (const [what, provider, expected] of [
    ['a word', '{ type: http, url: "http://127.0.0.1:1/", timeout: soon }', /:3:\d+ method\[0\]\.provider\.timeout: "soon" is not a duration; use seconds \(5\) or a number and a unit/],
    ['zero', '{ type: process, path: ls, timeout: 0s }', /:3:\d+ method\[0\]\.provider\.timeout: a timeout must be above 0/],
    ['more than 24h', '{ type: process, path: ls, timeout: 1000h }', /:3:\d+ method\[0\]\.provider\.timeout: "1000h" is longer than the 24h allowed here/],
    ['a word as the read part', '{ type: http, url: "http://127.0.0.1:1/", timeout: [1, soon] }', /method\[0\]\.provider\.timeout\[1\]: "soon" is not a duration/],
  ] as const) {
    it(`refuses ${what} as a timeout, naming the field`, () => {
      assert.match(issuesFor(provider), expected);
    });
  }
});
