import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ConfigError } from '../../../proxy/config/config-error.js';
import { loadExperiment } from '../../../runner/experiment/load-experiment.js';
import type { ProviderOf } from '../../../runner/experiment/provider-schema.js';
import { tempDir } from '../../helpers/mesh-fixture.js';

const dir = tempDir();
after(() => dir.remove());

/** An experiment whose one fault activity's provider holds `fields` (indented under it); they start on line 7. */
const experiment = (fields: string) => `title: istio fault
method:
  - type: action
    name: jason-gets-500
    provider:
      type: fault
${fields}      admin: http://127.0.0.1:15000
      duration: 5s
`;

const JASON = `      istio:
        host: ratings.default.svc.cluster.local
        match:
          - headers: { end-user: { exact: jason } }
        fault:
          abort: { httpStatus: 500, percentage: { value: 100 } }
`;

let n = 0;
function ruleOf(fields: string): ProviderOf<'fault'>['rule'] {
  const exp = loadExperiment(dir.file(`e${++n}.yaml`, experiment(fields)), { env: {} });
  return (exp.method[0]!.provider as ProviderOf<'fault'>).rule;
}

function issuesOf(fields: string): string[] {
  try {
    loadExperiment(dir.file(`e${++n}.yaml`, experiment(fields)), { env: {} });
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues.map((i) => `${i.line} ${i.field}: ${i.message}`);
  }
  assert.fail('expected the experiment to be refused');
}

describe("an experiment's fault provider with an Istio fault block", () => {
  it('translates a VirtualService route\'s match and fault into the rule it holds', () => {
    assert.deepEqual(ruleOf(JASON), { target: 'ratings', match: { headers: { 'end-user': 'jason' } }, percentage: 100, abort: { status: 500 }, phase: 'request' });
  });

  it('takes what Istio has no word for from rule beside it: target, seed, more match keys', () => {
    const rule = ruleOf(`      rule: { target: ratings, seed: 7, match: { labels: { version: v1 } } }
      istio:
        fault: { delay: { fixedDelay: 250ms, percentage: { value: 30 } } }
`);
    assert.deepEqual(rule, { target: 'ratings', seed: 7, match: { labels: { version: 'v1' } }, percentage: 30, delay: { form: 'fixed', ms: 250 }, phase: 'request' });
  });

  it('still takes a faultmesh rule alone, as before', () => {
    assert.deepEqual(ruleOf('      rule: { target: payments, abort: { status: 503 } }\n'), { target: 'payments', match: {}, percentage: 100, abort: { status: 503 }, phase: 'request' });
  });

  const refusals: Array<[string, string, RegExp]> = [
    ['neither rule nor istio', '', /^6 method\[0\]\.provider\.rule: give rule \(a faultmesh fault rule\) or istio/],
    ['a rule without target', '      rule: { abort: { status: 503 } }\n', /^7 method\[0\]\.provider\.rule\.target: required field is missing/],
    ['a rule without an action', '      rule: { target: p }\n', /^7 method\[0\]\.provider\.rule: a fault needs at least one action/],
    ['an Istio block without host or rule.target', '      istio: { fault: { abort: { httpStatus: 500, percentage: { value: 1 } } } }\n', /^7 method\[0\]\.provider\.istio\.host: give host \(the VirtualService host the fault is for\), or rule\.target/],
    ['an action in rule beside istio', `      rule: { abort: { status: 503 } }\n${JASON}`, /^7 method\[0\]\.provider\.rule\.abort: the istio block gives the fault's actions and percentage; leave abort out of rule/],
    ['a header match Istio has and faultmesh does not', JASON.replace('exact: jason', 'prefix: ja'), /^10 method\[0\]\.provider\.istio\.match\[0\]\.headers\.end-user: not translated: faultmesh matches headers by exact value only/],
    ['a bad status, on its line', JASON.replace('httpStatus: 500', 'httpStatus: 50'), /^12 method\[0\]\.provider\.istio\.fault\.abort\.httpStatus: httpStatus is a status from 200 to 599/],
    ['a delay and an abort rolled apart', '      istio:\n        host: ratings\n        fault:\n          delay: { fixedDelay: 1s, percentage: { value: 50 } }\n          abort: { httpStatus: 500, percentage: { value: 10 } }\n', /^10 method\[0\]\.provider\.istio\.fault: Envoy rolls the delay and the abort apart, .*background: true/],
    ['match blocks that need a rule each', '      istio:\n        host: ratings\n        match: [{ headers: { a: { exact: "1" } } }, { uri: { prefix: /x } }]\n        fault: { abort: { httpStatus: 500, percentage: { value: 5 } } }\n', /^9 method\[0\]\.provider\.istio\.match: these match blocks need a faultmesh rule each/],
    ['a host and a target that disagree', `      rule: { target: reviews }\n${JASON}`, /^7 method\[0\]\.provider\.rule\.target: rule\.target reviews is not the service istio\.host names \(ratings\)/],
    ['an unknown field of the block', '      istio: { host: ratings, fault: { abort: { httpStatus: 500, percentage: { value: 1 } } }, gateways: [mesh] }\n', /^7 method\[0\]\.provider\.istio\.gateways: unknown field/],
  ];
  for (const [name, fields, expected] of refusals) {
    it(`refuses ${name}, naming the line and field`, () => {
      const issues = issuesOf(fields);
      assert.ok(issues.some((i) => expected.test(i)), issues.join('\n'));
    });
  }
});
