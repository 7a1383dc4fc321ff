import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ConfigError } from '../../../proxy/config/config-error.js';
import { loadExperiment } from '../../../runner/experiment/load-experiment.js';
import { tempDir } from '../../helpers/mesh-fixture.js';

const dir = tempDir();
after(() => dir.remove());

const HEAD = `title: t
steady-state-hypothesis:
  title: up
  probes:
    - type: probe
      name: up
      tolerance: 200
      provider: { type: http, url: "http://127.0.0.1:1/health" }
`;

/** Loads `text` and returns each issue as `line field: message`. */
function issuesOf(text: string, options = {}): string[] {
  const file = dir.file(`e${Math.random().toString(36).slice(2)}.yaml`, text);
  try {
    loadExperiment(file, options);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues.map((i) => `${i.line} ${i.field}: ${i.message}`);
  }
  assert.fail('expected the experiment to be refused');
}

describe('loading experiments', () => {
  it('substitutes ${name} from configuration, env and --var, keeping the type of a whole-string value', () => {
    const file = dir.file(
      'sub.yaml',
      `title: sub
configuration:
  mesh: [http://127.0.0.1:15000, http://127.0.0.1:15010]
  base: { type: env, key: FM_TEST_BASE, default: "http://127.0.0.1:9" }
  rate: 5
method:
  - type: action
    name: inject
    provider: { type: fault, admin: "\${mesh}", rule: { target: payments, abort: { status: 503 } }, duration: 2s }
  - type: action
    name: load
    provider: { type: load, proxy: "\${base}", target: payments, rate: "\${rate}", duration: 1 }
`,
    );
    const exp = loadExperiment(file, { env: { FM_TEST_BASE: 'http://127.0.0.1:7' }, vars: { rate: 9 } });
    const [fault, load] = exp.method.map((a) => a.provider);
    assert.deepEqual(fault!.type === 'fault' && fault!.admin, ['http://127.0.0.1:15000', 'http://127.0.0.1:15010']);
    assert.equal(load!.type === 'load' && load!.proxy, 'http://127.0.0.1:7');
    assert.equal(load!.type === 'load' && load!.rate, 9);
    assert.equal(load!.type === 'load' && load!.duration, 1000);
  });

  it('replaces {ref} with the activity of that name, in rollbacks and hypotheses alike', () => {
    const exp = loadExperiment(
      dir.file(
        'ref.yaml',
        `${HEAD}method:
  - type: action
    name: act
    provider: { type: process, path: "true" }
rollbacks:
  - ref: act
  - ref: up
`,
      ),
    );
    assert.deepEqual(
      exp.rollbacks.map((a) => a.name),
      ['act', 'up'],
    );
  });

  it('reads JSON experiments as well, keeping a string of process arguments for the shell', () => {
    const exp = loadExperiment(dir.file('e.json', JSON.stringify({ title: 'json', method: [{ type: 'action', name: 'a', provider: { type: 'process', path: 'echo', arguments: 'a "b c"' } }] })));
    const p = exp.method[0]!.provider;
    assert.equal(p.type === 'process' && p.arguments, 'a "b c"');
  });

  const table: Array<[string, string, RegExp[]]> = [
    ['an empty method', 'title: t\nmethod: []\n', [/^2 method: the method needs at least one activity/]],
    ['a missing title', 'method:\n  - { type: action, name: a, provider: { type: process, path: ls } }\n', [/^1 title: required field is missing/]],
    ['an unknown top-level field', `${HEAD}methd: []\nmethod:\n  - { type: action, name: a, provider: { type: process, path: ls } }\n`, [/^9 methd: unknown field/]],
    ['a python provider without its function', `title: t\nmethod:\n  - type: action\n    name: kill-pod\n    provider: { type: python, module: chaosk8s.pod.actions }\n`, [/^5 method\[0\]\.provider\.func: required field is missing/]],
    ['an unknown provider', `title: t\nmethod:\n  - { type: action, name: a, provider: { type: ssh } }\n`, [/^3 method\[0\]\.provider\.type: provider type is one of/]],
    ['an undeclared ${name}', `title: t\nmethod:\n  - { type: action, name: a, provider: { type: http, url: "\${nowhere}/x" } }\n`, [/^3 method\[0\]\.provider\.url: \$\{nowhere\} is not declared/]],
    ['an env variable that is unset, with no default', `title: t\nconfiguration:\n  u: { type: env, key: FM_SURELY_UNSET }\nmethod:\n  - { type: action, name: a, provider: { type: http, url: "\${u}" } }\n`, [/^5 method\[0\]\.provider\.url: \$\{u\}: environment variable FM_SURELY_UNSET is not set/]],
    ['a ref to nothing', `title: t\nmethod:\n  - { type: action, name: a, provider: { type: process, path: ls } }\nrollbacks:\n  - ref: nope\n`, [/^5 rollbacks\[0\]\.ref: no activity named "nope"/]],
    ['a hypothesis probe without a tolerance', `title: t\nsteady-state-hypothesis:\n  title: h\n  probes:\n    - { type: probe, name: p, provider: { type: process, path: ls } }\nmethod:\n  - ref: p\n`, [/^5 steady-state-hypothesis\.probes\[0\]\.tolerance: this probe needs a tolerance/]],
    ['a bad tolerance', `${HEAD.replace('tolerance: 200', 'tolerance: { type: regex, pattern: "(" }')}method:\n  - ref: up\n`, [/^7 steady-state-hypothesis\.probes\[0\]\.tolerance\.pattern: not a valid Python regular expression \(Chaos Toolkit compiles it with Python's re\): missing \), unterminated subpattern at position 0$/]],
    ['a fault rule with a bad status and a bad duration', `title: t\nmethod:\n  - type: action\n    name: f\n    provider:\n      type: fault\n      admin: http://127.0.0.1:15000\n      rule: { target: payments, abort: { status: 99 } }\n      duration: forever\n`, [/^8 method\[0\]\.provider\.rule\.abort\.status: abort status must be 200 to 599/, /^9 method\[0\]\.provider\.duration: "forever" is not a duration/]],
    ['a ttl on a runner fault', `title: t\nmethod:\n  - type: action\n    name: f\n    provider: { type: fault, admin: http://127.0.0.1:1, rule: { target: p, reset: true, ttl: 1h }, duration: 1s }\n`, [/method\[0\]\.provider\.rule\.ttl: leave ttl out/]],
    ['a metric for a service named with capitals', `title: t\nmethod:\n  - type: probe\n    name: m\n    provider: { type: metric, admin: http://127.0.0.1:1, destination: Payments, measure: rate }\n`, [/^5 method\[0\]\.provider\.destination: service names are lower case/]],
    ['a metric with a bad measure', `title: t\nmethod:\n  - type: probe\n    name: m\n    provider: { type: metric, admin: http://127.0.0.1:1, destination: p, measure: p99 }\n`, [/^5 method\[0\]\.provider\.measure: measure is one of success-ratio/]],
    ['a YAML syntax error', 'title: t\nmethod: [\n', [/^3 : /]],
    ['two activities with one name', `${HEAD}method:\n  - { type: action, name: up, provider: { type: process, path: ls } }\nrollbacks:\n  - { type: action, name: undo, provider: { type: process, path: ls } }\n  - { type: action, name: undo, provider: { type: process, path: ls } }\n`, [/^10 method\[0\]\.name: activity name "up" is already used at steady-state-hypothesis\.probes\[0\]/, /^13 rollbacks\[1\]\.name: activity name "undo" is already used at rollbacks\[0\]/]],
  ];
  for (const [name, text, expected] of table) {
    it(`refuses ${name}, naming the line and field`, () => {
      const issues = issuesOf(text);
      for (const pattern of expected) assert.ok(issues.some((i) => pattern.test(i)), `no issue matching ${pattern} in:\n${issues.join('\n')}`);
    });
  }
});

describe('experiments that name the control plane instead of their proxies', () => {
  const METHOD = `method:
  - type: action
    name: pay-503
    provider: { type: fault, rule: { target: payments, abort: { status: 503 } }, duration: 5s }
  - type: probe
    name: rate
    provider: { type: metric, destination: payments, measure: rate, window: 1s }
`;

  it('sends fault and metric providers without admin to configuration.control', () => {
    const file = dir.file('control.yaml', `title: c\nconfiguration:\n  control: http://127.0.0.1:15100\n${METHOD}`);
    const exp = loadExperiment(file, { env: {} });
    assert.deepEqual(exp.method.map((a) => (a.provider as { admin?: string[] }).admin), [['http://127.0.0.1:15100'], ['http://127.0.0.1:15100']]);
  });

  it('takes FAULTMESH_CONTROL when the file names none, and keeps an admin list the file gives', () => {
    const file = dir.file('env-control.yaml', `title: c\n${METHOD}  - type: probe\n    name: own\n    provider: { type: metric, admin: "http://127.0.0.1:15010", destination: payments, measure: rate }\n`);
    const exp = loadExperiment(file, { env: { FAULTMESH_CONTROL: 'http://127.0.0.1:15200' } });
    assert.deepEqual(exp.method.map((a) => (a.provider as { admin?: string[] }).admin), [['http://127.0.0.1:15200'], ['http://127.0.0.1:15200'], ['http://127.0.0.1:15010']]);
  });

  it('without a control plane, names the line of each provider that lists no proxies and every way to fix it', () => {
    const issues = issuesOf(`title: c\n${METHOD}`, { env: {} });
    assert.deepEqual(issues, [
      "5 method[0].provider.admin: name the proxies' admin URLs here, or the control plane with configuration.control, --var control=URL or FAULTMESH_CONTROL",
      "8 method[1].provider.admin: name the proxies' admin URLs here, or the control plane with configuration.control, --var control=URL or FAULTMESH_CONTROL",
    ]);
  });
});
