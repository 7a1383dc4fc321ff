import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ConfigError } from '../../../proxy/config/config-error.js';
import { expandSteps } from '../../../runner/canary/canary-schema.js';
import { isCanaryDocument, loadCanary, type LoadCanaryOptions } from '../../../runner/canary/load-canary.js';
import { tempDir } from '../../helpers/mesh-fixture.js';

const dir = tempDir();
after(() => dir.remove());

/** A valid canary, one top-level field a line, so a case can replace one line and know where it is. */
const BASE = ['name: catalog-v2', 'service: catalog', 'stable: { version: v1 }', 'canary: { version: v2 }', 'steps: [5, 10, 25, 50]', 'interval: 30s', 'control: http://127.0.0.1:15100'];

/** BASE with the line of each key in `patch` replaced (or, for a new key, appended). */
function canaryText(patch: Readonly<Record<string, string>> = {}): string {
  const lines = BASE.map((line) => {
    const key = line.slice(0, line.indexOf(':'));
    return key in patch ? patch[key]! : line;
  });
  for (const [key, line] of Object.entries(patch)) if (!BASE.some((l) => l.startsWith(`${key}:`))) lines.push(line);
  return `${lines.filter((l) => l !== '').join('\n')}\n`;
}

let n = 0;
const write = (text: string, name = `c${n++}.yaml`) => dir.file(name, text);

/** Loads `text` and returns each issue as `file line:column field: message`. */
function issuesOf(text: string, options: LoadCanaryOptions = {}): string[] {
  const file = write(text);
  try {
    loadCanary(file, { env: {}, ...options });
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues.map((i) => `${i.file === file ? '' : `${i.file.split('/').pop()} `}${i.line}:${i.column} ${i.field}: ${i.message}`);
  }
  assert.fail('expected the canary to be refused');
}

describe('loading canary files', () => {
  it('fills every default: minRequests, maxWait (4 x interval), confidence, failedChecks, and errorRatio without any analysis', () => {
    const c = loadCanary(write(canaryText()), { env: {} });
    assert.equal(c.name, 'catalog-v2');
    assert.equal(c.service, 'catalog');
    assert.equal(c.route, undefined);
    assert.ok(!('route' in c), 'route stays undefined: the run resolves it against the mesh');
    assert.deepEqual(c.steps, [5, 10, 25, 50]);
    assert.equal(c.intervalMs, 30_000);
    assert.equal(c.minRequests, 100);
    assert.equal(c.maxWaitMs, 120_000);
    assert.equal(c.failedChecks, 2);
    assert.deepEqual(c.analysis, { confidence: 0.95, probes: [], errorRatio: { maxIncrease: 0.01 } });
    assert.deepEqual(c.chaos, []);
    assert.equal(c.control, 'http://127.0.0.1:15100');
    assert.equal(c.admins, undefined);
    assert.deepEqual(c.secrets, []);
  });

  it('keeps the analysis given, without adding errorRatio when latency alone is asked for', () => {
    const c = loadCanary(write(canaryText({ analysis: 'analysis: { confidence: 0.9, latency: { quantile: 0.99, maxRatio: 1.2 } }', route: 'route: 1', maxWait: 'maxWait: 3m' })), { env: {} });
    assert.deepEqual(c.analysis, { confidence: 0.9, latency: { quantile: 0.99, maxRatio: 1.2 }, probes: [] });
    assert.equal(c.route, 1);
    assert.equal(c.maxWaitMs, 180_000);
  });

  it('expands stepWeight and maxWeight into the list, ending at maxWeight', () => {
    assert.deepEqual(loadCanary(write(canaryText({ steps: 'steps: { stepWeight: 10, maxWeight: 50 }' })), { env: {} }).steps, [10, 20, 30, 40, 50]);
    assert.deepEqual(expandSteps(30, 100), [30, 60, 90, 100]);
    assert.deepEqual(expandSteps(0.1, 0.3), [0.1, 0.2, 0.3]);
    assert.deepEqual(expandSteps(50, 50), [50]);
    assert.deepEqual(issuesOf(canaryText({ steps: 'steps: { stepWeight: 60, maxWeight: 50 }' })), ['5:22 steps.stepWeight: stepWeight is at most maxWeight']);
    assert.deepEqual(issuesOf(canaryText({ steps: 'steps: { stepWeight: 0.5, maxWeight: 100 }' })), ['5:22 steps.stepWeight: that makes more than 100 steps; take a larger stepWeight']);
  });

  it('reads JSON canary files as well', () => {
    const c = loadCanary(write(JSON.stringify({ name: 'j', service: 'payments', stable: { track: 'stable' }, canary: { track: 'canary' }, steps: [50], interval: '10s', admins: ['http://127.0.0.1:9'] }), 'c.json'), { env: {} });
    assert.deepEqual(c.admins, ['http://127.0.0.1:9']);
    assert.deepEqual(c.steps, [50]);
  });

  // Each bad value is reported at its own line and column, with its field.
  const cases: Array<{ name: string; patch: Record<string, string>; want: string }> = [
    { name: 'a name with capitals', patch: { name: 'name: Catalog' }, want: '1:7 name: a canary name' },
    { name: 'a service in capitals', patch: { service: 'service: Catalog' }, want: '2:10 service: service names are lower case' },
    { name: 'a negative route', patch: { route: 'route: -1' }, want: '8:8 route: route is the index' },
    { name: 'empty stable labels', patch: { stable: 'stable: {}' }, want: '3:9 stable: name at least one label' },
    { name: 'a number as a label value', patch: { canary: 'canary: { version: 2 }' }, want: '4:20 canary.version: label values must be strings' },
    { name: 'a step of 0', patch: { steps: 'steps: [0, 10]' }, want: '5:9 steps[0]: a canary weight is a percentage above 0' },
    { name: 'a step over 100', patch: { steps: 'steps: [10, 101]' }, want: '5:13 steps[1]: a canary weight is at most 100' },
    { name: 'no steps', patch: { steps: 'steps: []' }, want: '5:8 steps: give at least one step' },
    { name: 'a bare number as interval', patch: { interval: 'interval: 30' }, want: '6:11 interval: 30 is not a duration' },
    { name: 'an interval of 0', patch: { interval: 'interval: 0s' }, want: '6:11 interval: must be above 0' },
    { name: 'an interval over a day', patch: { interval: 'interval: 25h' }, want: '6:11 interval: "25h" is longer than the 24h allowed here' },
    { name: 'minRequests of 0', patch: { minRequests: 'minRequests: 0' }, want: '8:14 minRequests: minRequests is 1 or more' },
    { name: 'a fractional minRequests', patch: { minRequests: 'minRequests: 1.5' }, want: '8:14 minRequests: minRequests is a whole number' },
    { name: 'maxWait under the interval', patch: { maxWait: 'maxWait: 10s' }, want: '8:10 maxWait: maxWait is at least the interval' },
    { name: 'confidence of 1', patch: { analysis: 'analysis: { confidence: 1 }' }, want: '8:25 analysis.confidence: confidence is above 0.5 and below 1' },
    { name: 'maxIncrease over 1', patch: { analysis: 'analysis: { errorRatio: { maxIncrease: 2 } }' }, want: '8:40 analysis.errorRatio.maxIncrease: maxIncrease is a fraction from 0 to 1' },
    { name: 'quantile of 1', patch: { analysis: 'analysis: { latency: { quantile: 1, maxRatio: 2 } }' }, want: '8:34 analysis.latency.quantile: quantile is above 0 and below 1' },
    { name: 'maxRatio under 1', patch: { analysis: 'analysis: { latency: { quantile: 0.9, maxRatio: 0.5 } }' }, want: '8:49 analysis.latency.maxRatio: maxRatio is 1 or more' },
    { name: 'an action as a gate', patch: { analysis: 'analysis: { probes: [{ type: action, name: a, provider: { type: process, path: "true" } }] }' }, want: '8:30 analysis.probes[0].type: only probes go here' },
    { name: 'a gate without tolerance', patch: { analysis: 'analysis: { probes: [{ type: probe, name: a, provider: { type: process, path: "true" } }] }' }, want: '8:22 analysis.probes[0].tolerance: this probe needs a tolerance' },
    { name: 'failedChecks of 0', patch: { failedChecks: 'failedChecks: 0' }, want: '8:15 failedChecks: failedChecks is 1 or more' },
    { name: 'a chaos stage without experiment', patch: { chaos: 'chaos: [{ at: 5 }]' }, want: '8:9 chaos[0].experiment: required field is missing' },
    { name: 'a load proxy that is not http', patch: { load: 'load: { proxy: "ftp://x", rate: 5 }' }, want: '8:16 load.proxy: an http:// or https:// URL' },
    { name: 'load with a target', patch: { load: 'load: { proxy: "http://127.0.0.1:1", rate: 5, target: catalog }' }, want: '8:47 load.target: unknown field' },
    { name: 'a control that is no URL', patch: { control: 'control: nope' }, want: '7:10 control: an http:// or https:// URL' },
    { name: 'an empty admins list', patch: { control: 'admins: []' }, want: '7:9 admins: name at least one proxy admin URL' },
    { name: 'an unknown field', patch: { weights: 'weights: [1]' }, want: '8:1 weights: unknown field' },
  ];
  for (const c of cases) {
    it(`refuses ${c.name}, at its line and column`, () => {
      const issues = issuesOf(canaryText(c.patch));
      assert.equal(issues.length, 1, issues.join('\n'));
      assert.ok(issues[0]!.startsWith(c.want), `${issues[0]} does not start with ${c.want}`);
    });
  }

  it('reports every bad field at once', () => {
    const issues = issuesOf(canaryText({ name: 'name: Bad', interval: 'interval: 30', failedChecks: 'failedChecks: 0' }));
    assert.deepEqual(
      issues.map((i) => i.split(':').slice(0, 2).join(':')),
      ['1:7 name', '6:11 interval', '8:15 failedChecks'],
    );
  });

  it('refuses steps that do not increase strictly, at each step out of order', () => {
    assert.deepEqual(issuesOf(canaryText({ steps: 'steps: [10, 5, 5, 50]' })), ['5:13 steps[1]: steps increase strictly: 5 does not follow 10', '5:16 steps[2]: steps increase strictly: 5 does not follow 5']);
  });

  it('refuses a chaos stage at a weight that is not a step, and two at one step', () => {
    dir.file('ok.yaml', 'title: ok\nmethod:\n  - { type: action, name: a, provider: { type: process, path: "true" } }\n');
    assert.deepEqual(issuesOf(canaryText({ chaos: 'chaos: [{ at: 7, experiment: ok.yaml }]' })), ['8:15 chaos[0].at: 7 is not one of the steps (5, 10, 25, 50)']);
    assert.deepEqual(issuesOf(canaryText({ chaos: 'chaos: [{ at: 5, experiment: ok.yaml }, { at: 5, experiment: ok.yaml }]' })), ['8:47 chaos[1].at: a chaos stage at 5 is already given; put both faults in one experiment']);
  });

  it('refuses a canary whose labels are the stable\'s, or could share an instance with it', () => {
    assert.deepEqual(issuesOf(canaryText({ canary: 'canary: { version: v1 }' })), ['4:9 canary: the canary\'s labels are the stable\'s: nothing would be compared']);
    const [overlap] = issuesOf(canaryText({ canary: 'canary: { track: canary }' }));
    assert.match(overlap!, /^4:9 canary: stable and canary must give different values to a label they both name/);
    // A label the stable does not name is fine once one they share differs.
    assert.deepEqual(loadCanary(write(canaryText({ canary: 'canary: { version: v2, track: canary }' })), { env: {} }).canary, { version: 'v2', track: 'canary' });
  });

  it('refuses both control and admins', () => {
    assert.deepEqual(issuesOf(canaryText({ admins: 'admins: [http://127.0.0.1:15000]' })), ['8:9 admins: name the control plane (control) or the proxies (admins), not both']);
  });

  it('takes --control in place of the file\'s control or admins, and FAULTMESH_CONTROL when the file names neither', () => {
    const admins = write(canaryText({ control: 'admins: [http://127.0.0.1:15000]' }));
    const flagged = loadCanary(admins, { env: {}, control: 'http://127.0.0.1:7' });
    assert.equal(flagged.control, 'http://127.0.0.1:7');
    assert.equal(flagged.admins, undefined);
    assert.equal(loadCanary(write(canaryText({ control: '' })), { env: { FAULTMESH_CONTROL: 'http://127.0.0.1:8' } }).control, 'http://127.0.0.1:8');
    assert.deepEqual(loadCanary(admins, { env: { FAULTMESH_CONTROL: 'http://127.0.0.1:8' } }).admins, ['http://127.0.0.1:15000']);
  });

  it('reports a chaos experiment that does not exist, at the stage that names it', () => {
    const issues = issuesOf(canaryText({ chaos: 'chaos: [{ at: 10, experiment: missing.yaml }]' }));
    assert.equal(issues.length, 2, issues.join('\n'));
    assert.match(issues[0]!, /^missing\.yaml 0:0 : file not found/);
    assert.equal(issues[1], '8:31 chaos[0].experiment: missing.yaml is not a valid experiment (1 error above)');
  });

  it('reports a chaos experiment\'s errors at that file\'s own line, with the canary\'s errors in the same go', () => {
    dir.file('bad-chaos.yaml', 'title: bad\nmethod:\n  - type: action\n    name: slow\n    provider: { type: fault, rule: { target: catalog, delay: { fixed: soon } }, duration: 5s }\n');
    const issues = issuesOf(canaryText({ name: 'name: Bad', chaos: 'chaos: [{ at: 10, experiment: bad-chaos.yaml }]' }));
    assert.equal(issues.length, 3, issues.join('\n'));
    assert.match(issues[0]!, /^1:7 name: /);
    assert.match(issues[1]!, /^bad-chaos\.yaml 5:\d+ method\[0\]\.provider\.rule\.delay\.fixed: "soon" is not a duration/);
    assert.equal(issues[2], '8:31 chaos[0].experiment: bad-chaos.yaml is not a valid experiment (1 error above)');
  });

  it('loads chaos experiments relative to the canary file, through the canary\'s control plane', () => {
    dir.file('chaos.yaml', 'title: slow v2\nmethod:\n  - type: action\n    name: slow\n    provider: { type: fault, rule: { target: catalog, delay: { fixed: 100ms } }, duration: 5s }\n');
    const c = loadCanary(write(canaryText({ chaos: 'chaos: [{ at: 10, experiment: chaos.yaml }]' })), { env: {} });
    assert.equal(c.chaos.length, 1);
    assert.equal(c.chaos[0]!.at, 10);
    assert.equal(c.chaos[0]!.file, `${dir.path}/chaos.yaml`);
    assert.equal(c.chaos[0]!.experiment.title, 'slow v2');
    const fault = c.chaos[0]!.experiment.method[0]!.provider;
    assert.deepEqual(fault.type === 'fault' && fault.admin, ['http://127.0.0.1:15100'], 'the fault goes through the canary\'s control plane');
  });

  it('substitutes ${name} in control, admins, load and gates, from configuration, env and --var, and masks secrets', () => {
    const text = `name: sub
service: catalog
stable: { version: v1 }
canary: { version: v2 }
steps: [50]
interval: 10s
configuration:
  proxies: [http://127.0.0.1:15000, http://127.0.0.1:15010]
  ingress: { type: env, key: FM_INGRESS, default: "http://127.0.0.1:9" }
  rate: 5
secrets:
  shop:
    token: { type: env, key: FM_TOKEN }
admins: \${proxies}
load: { proxy: "\${ingress}", rate: "\${rate}", paths: [/product/1], headers: { authorization: "Bearer \${token}" } }
analysis:
  probes:
    - type: probe
      name: checkout-ok
      tolerance: { type: threshold, min: 0.99 }
      provider: { type: metric, destination: checkout, measure: success-ratio }
`;
    const c = loadCanary(write(text), { env: { FM_INGRESS: 'http://127.0.0.1:7', FM_TOKEN: 's3cret' }, vars: { rate: 9 } });
    assert.deepEqual(c.admins, ['http://127.0.0.1:15000', 'http://127.0.0.1:15010']);
    assert.equal(c.load?.proxy, 'http://127.0.0.1:7');
    assert.equal(c.load?.rate, 9);
    assert.deepEqual(c.load?.headers, { authorization: 'Bearer s3cret' });
    assert.deepEqual(c.secrets, ['s3cret']);
    const gate = c.analysis.probes[0]!.provider;
    assert.deepEqual(gate.type === 'metric' && gate.admin, ['http://127.0.0.1:15000', 'http://127.0.0.1:15010'], 'a gate without admin reads the proxies the canary drives');
  });

  it('reports an undeclared ${name} where it is written, and substitutes nowhere else', () => {
    assert.deepEqual(issuesOf(canaryText({ control: 'control: ${nowhere}' })), ['7:10 control: ${nowhere} is not declared: add it under configuration or secrets, or pass --var nowhere=VALUE']);
    const [steps] = issuesOf(canaryText({ configuration: 'configuration: { s: [10] }', steps: 'steps: ${s}' }), { vars: { s: [10] } });
    assert.match(steps!, /^5:8 steps: /, 'steps are the release\'s shape, not an environment\'s: not substituted');
  });

  it('asks for an admin on a gate when the canary names no way to the mesh', () => {
    const text = canaryText({ control: '', analysis: 'analysis: { probes: [{ type: probe, name: m, tolerance: { type: threshold, min: 1 }, provider: { type: metric, destination: catalog, measure: rate } }] }' });
    assert.deepEqual(issuesOf(text), ['7:96 analysis.probes[0].provider.admin: name the proxies\' admin URLs here, or the canary\'s control (or admins), --control URL or FAULTMESH_CONTROL']);
  });

  it('refuses an empty file and one that is not a mapping, at line 1', () => {
    assert.deepEqual(issuesOf(''), ['1:1 : the file is empty']);
    assert.match(issuesOf('- 1\n')[0]!, /^1:1 : a canary is a mapping/);
  });

  it('tells canary files from other documents by canary and steps', () => {
    assert.equal(isCanaryDocument({ canary: { version: 'v2' }, steps: [10] }), true);
    assert.equal(isCanaryDocument({ title: 't', method: [] }), false);
    assert.equal(isCanaryDocument([{ canary: 1, steps: 1 }]), false);
    assert.equal(isCanaryDocument(null), false);
  });
});
