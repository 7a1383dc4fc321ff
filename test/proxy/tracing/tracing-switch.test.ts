import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TracingOptions } from '../../../proxy/tracing/tracing-config.js';
import { TracingSwitch } from '../../../proxy/tracing/tracing-switch.js';

const counter = { inc() {} };
const switchWith = (options: TracingOptions | undefined, announce?: boolean) => {
  const lines: string[] = [];
  const traces = new TracingSwitch({ options, service: 'checkout', resource: {}, counters: { exported: counter, dropped: { labels: () => counter } }, log: (l) => void lines.push(l), announce });
  return { traces, lines };
};

describe('what a proxy says of its spans', () => {
  it('says where spans go when they start, when the sample or the endpoint changes, and when they stop', async () => {
    const { traces, lines } = switchWith(undefined);
    try {
      traces.apply(undefined);
      assert.deepEqual(lines, [], 'nothing while there is no tracing at all');
      traces.apply({ otlpEndpoint: 'http://127.0.0.1:4318', sample: 0.1 });
      assert.match(lines.at(-1)!, /^sending spans of sampled calls to http:\/\/127\.0\.0\.1:4318\/v1\/traces \(sample 0\.1 /);
      traces.apply({ otlpEndpoint: 'http://127.0.0.1:4318', sample: 0.1 });
      assert.equal(lines.length, 1, 'the same settings again say nothing');
      traces.apply({ otlpEndpoint: 'http://127.0.0.1:4318', sample: 0.5 });
      assert.match(lines.at(-1)!, /^now sending spans .* \(sample 0\.5 /);
      traces.apply({ otlpEndpoint: 'http://127.0.0.1:4319' });
      assert.match(lines.at(-1)!, /^now sending spans of sampled calls to http:\/\/127\.0\.0\.1:4319\/v1\/traces \(sample 1 /);
      traces.apply(undefined);
      assert.match(lines.at(-1)!, /^no longer sending spans/);
      assert.equal(lines.length, 4);
    } finally {
      await traces.close();
    }
  });

  it('warns once that a share sampled with no endpoint anywhere sends nothing', async () => {
    const { traces, lines } = switchWith({ sample: 0.5 });
    try {
      traces.apply(undefined);
      traces.apply({});
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.match(lines[0]!, /^warning: --trace-sample is set but no OTLP endpoint is/);
      traces.apply({ otlpEndpoint: 'http://127.0.0.1:4318' });
      assert.match(lines.at(-1)!, /\(sample 0\.5 /, "the flag's sample, once the mesh gives the endpoint");
    } finally {
      await traces.close();
    }
  });

  it("warns of the mesh's tracing.sample without an endpoint too, and keeps quiet in a cluster's later workers", async () => {
    const quietless = switchWith(undefined);
    quietless.traces.apply({ sample: 0.2 });
    assert.match(quietless.lines[0]!, /^warning: the mesh's tracing\.sample is set but no OTLP endpoint is/);
    await quietless.traces.close();
    const quiet = switchWith(undefined, false);
    quiet.traces.apply({ sample: 0.2 });
    quiet.traces.apply({ otlpEndpoint: 'http://127.0.0.1:4318' });
    await quiet.traces.close();
    assert.deepEqual(quiet.lines, []);
  });
});
