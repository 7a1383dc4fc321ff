import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tracingFlags } from '../../../cli/commands/proxy-trace-flags.js';
import { UsageError } from '../../../cli/exit.js';
import { effectiveTracing, otlpTracesUrl } from '../../../proxy/tracing/tracing-config.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/mesh-fixture.js';

describe('the proxy\'s trace flags', () => {
  it('read the endpoint, the share sampled and the service name', () => {
    assert.equal(tracingFlags({}), undefined, 'no flag: the mesh decides');
    assert.deepEqual(tracingFlags({ 'otlp-endpoint': 'http://127.0.0.1:4318', 'trace-sample': '0.1', 'trace-service-name': 'checkout-sidecar' }), { otlpEndpoint: 'http://127.0.0.1:4318', sample: 0.1, serviceName: 'checkout-sidecar' });
    assert.deepEqual(tracingFlags({ 'trace-sample': '1' }), { otlpEndpoint: undefined, sample: 1, serviceName: undefined });
  });

  const refused: Array<[Record<string, string>, RegExp]> = [
    [{ 'otlp-endpoint': 'collector:4318' }, /^--otlp-endpoint: "collector:4318" is not http:\/\/ or https:\/\//],
    [{ 'otlp-endpoint': 'not a url' }, /^--otlp-endpoint: "not a url" is not a URL/],
    [{ 'otlp-endpoint': 'http://user:secret@collector:4318' }, /holds credentials: send them as headers \(OTEL_EXPORTER_OTLP_HEADERS\)/],
    [{ 'otlp-endpoint': 'http://collector:4318/?x=1' }, /has a query or fragment/],
    [{ 'trace-sample': '10%' }, /^--trace-sample: "10%" is not a share from 0 to 1/],
    [{ 'trace-sample': '1.5' }, /^--trace-sample: "1.5" is not a share from 0 to 1/],
    [{ 'trace-sample': '-0.1' }, /^--trace-sample: "-0.1"/],
    [{ 'trace-service-name': ' ' }, /^--trace-service-name: give a name/],
  ];
  for (const [args, message] of refused) {
    it(`refuses ${JSON.stringify(args)} naming the flag`, () => {
      assert.throws(() => tracingFlags(args), (err: unknown) => err instanceof UsageError && message.test(err.message));
    });
  }

  it('make the traces URL from the endpoint as OTEL_EXPORTER_OTLP_ENDPOINT does', () => {
    assert.equal(otlpTracesUrl('http://collector:4318'), 'http://collector:4318/v1/traces');
    assert.equal(otlpTracesUrl('http://collector:4318/'), 'http://collector:4318/v1/traces');
    assert.equal(otlpTracesUrl('https://otel.example/otlp'), 'https://otel.example/otlp/v1/traces');
    assert.equal(otlpTracesUrl('http://collector:4318/v1/traces'), 'http://collector:4318/v1/traces', 'a full traces URL is kept');
  });

  it('win over the mesh field by field, and name the spans after the sidecar by default', () => {
    const mesh = { otlpEndpoint: 'http://mesh-collector:4318', sample: 0.5 };
    assert.equal(effectiveTracing(undefined, undefined, 'checkout'), undefined, 'no endpoint anywhere: no spans');
    assert.deepEqual(
      (({ url, sample, serviceName }) => ({ url, sample, serviceName }))(effectiveTracing({ sample: 0.1 }, mesh, 'checkout')!),
      { url: 'http://mesh-collector:4318/v1/traces', sample: 0.1, serviceName: 'checkout' },
    );
    assert.equal(effectiveTracing({ otlpEndpoint: 'http://own:4318' }, mesh, undefined)!.url, 'http://own:4318/v1/traces');
    assert.equal(effectiveTracing({ otlpEndpoint: 'http://own:4318' }, undefined, undefined)!.serviceName, 'faultmesh-proxy');
    assert.equal(effectiveTracing({ otlpEndpoint: 'http://own:4318' }, undefined, undefined)!.sample, 1, 'the SDK default: every trace this proxy starts');
  });

  it('are checked by `proxy --check`, exit 2 with one line naming the flag', async () => {
    const dir = tempDir();
    try {
      const mesh = dir.file('mesh.yaml', 'services:\n  payments:\n    instances: [{ id: pay-1, address: 127.0.0.1:9301 }]\n');
      const bad = await runCli(['proxy', '--mesh', mesh, '--otlp-endpoint', 'collector:4318', '--check']);
      assert.equal(bad.code, 2, bad.stderr);
      assert.match(bad.stderr, /--otlp-endpoint: "collector:4318" is not http:\/\/ or https:\/\//);
      assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
      const good = await runCli(['proxy', '--mesh', mesh, '--otlp-endpoint', 'http://127.0.0.1:4318', '--trace-sample', '0.1', '--check']);
      assert.equal(good.code, 0, good.stderr);
      assert.match(good.stderr, /flags OK/);
    } finally {
      dir.remove();
    }
  });
});
