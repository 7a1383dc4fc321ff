import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEchoUpstream, type EchoUpstream } from '../../../demo/echo-upstream.js';
import { providerSchema, type ProviderOf } from '../../../runner/experiment/provider-schema.js';
import { runHttp } from '../../../runner/providers/http.js';
import { runProcess } from '../../../runner/providers/process.js';
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

  it('fails on another status than expected_status', async () => {
    await assert.rejects(runHttp(parse<'http'>({ type: 'http', url: `${upstream.url}/?status=503`, expected_status: 200 }), providerContext().ctx), /answered 503, expected 200/);
  });
});

describe('process provider', () => {
  it('returns the exit status and output; a string of arguments is split as a shell would', async () => {
    const out = await runProcess(parse<'process'>({ type: 'process', path: process.execPath, arguments: `-e "console.log('a b'); console.error('warn'); process.exit(3)"` }), providerContext().ctx);
    assert.deepEqual(out, { status: 3, stdout: 'a b\n', stderr: 'warn\n' });
  });

  it('takes a list of arguments as they are', async () => {
    const out = await runProcess(parse<'process'>({ type: 'process', path: process.execPath, arguments: ['-e', 'console.log(process.argv.length)', 'x', 7] }), providerContext().ctx);
    assert.equal(out.stdout, '3\n');
  });

  it('kills a process that runs past its timeout, and fails', async () => {
    await assert.rejects(runProcess(parse<'process'>({ type: 'process', path: process.execPath, arguments: ['-e', 'setTimeout(() => {}, 10000)'], timeout: 0.2 }), providerContext().ctx), /ran past its 0.2s timeout/);
  });

  it('fails when the program does not exist', async () => {
    await assert.rejects(runProcess(parse<'process'>({ type: 'process', path: 'faultmesh-no-such-program' }), providerContext().ctx), /not found/);
  });
});
