import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError } from '../../../proxy/config/config-error.js';
import { formatIssue } from '../../../proxy/config/config-error.js';
import { loadExperiment } from '../../../runner/experiment/load-experiment.js';
import { resolvePython, type PythonChoice } from '../../../runner/python/python-env.js';
import { pythonDir } from './python-fixture.js';

describe('checking an experiment\'s Python before it runs', () => {
  const dir = pythonDir();
  after(() => dir.remove());
  const python = resolvePython();

  /** Every issue of loading `yaml` with the Python check, as `file:line:column field: message`. */
  const issuesOf = (yaml: string, choice: PythonChoice = python): { file: string; lines: string[] } => {
    const file = dir.experiment(yaml);
    try {
      loadExperiment(file, { python: choice });
      return { file, lines: [] };
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      return { file, lines: err.issues.map(formatIssue) };
    }
  };
  const method = (...activities: string[]) => `title: t\nmethod:\n${activities.map((a) => `  - ${a}\n`).join('')}`;

  it('accepts standard-library functions and the folder\'s own module with fitting arguments', () => {
    const { lines } = issuesOf(
      method(
        '{ type: action, name: move, provider: { type: python, module: os, func: rename, arguments: { src: a, dst: b } } }',
        '{ type: probe, name: exists, provider: { type: python, module: os.path, func: exists, arguments: { path: / } } }',
        '{ type: probe, name: kw, provider: { type: python, module: fm_probe, func: anything, arguments: { whatever: 1 } } }',
        '{ type: probe, name: cfg, provider: { type: python, module: fm_probe, func: sees } }',
      ),
    );
    assert.deepEqual(lines, []);
  });

  it('reports an unimportable module, a missing function and bad arguments, each with file:line at its field', () => {
    const { file, lines } = issuesOf(
      method(
        '{ type: action, name: a, provider: { type: python, module: no_such_module, func: f } }',
        '{ type: action, name: b, provider: { type: python, module: fm_probe, func: no_such_function } }',
        '{ type: action, name: c, provider: { type: python, module: os, func: rename, arguments: { src: a, target: b } } }',
      ),
    );
    const at = (n: number, field: string, message: RegExp) => assert.ok(lines.some((l) => l.startsWith(`${file}:${n}:`) && l.includes(` ${field}: `) && message.test(l)), `${field} at line ${n}:\n${lines.join('\n')}`);
    at(3, 'method[0].provider.module', /cannot import Python module 'no_such_module' with \/\S+ \(Python 3\.\d+\.\d+\S*\): ModuleNotFoundError: No module named 'no_such_module'; install it for that interpreter or name another with --python PATH \/ FAULTMESH_PYTHON, or add its folder to PYTHONPATH$/);
    at(4, 'method[1].provider.func', /Python module 'fm_probe' has no function 'no_such_function'$/);
    at(5, 'method[2].provider.arguments', /required argument 'dst' is missing: os\.rename\(src, dst/);
    at(5, 'method[2].provider.arguments.target', /argument 'target' is not a parameter of os\.rename/);
    assert.equal(lines.length, 4, lines.join('\n'));
  });

  it('names the pip package of a Chaos Toolkit extension that does not import, and the interpreter to install it for', () => {
    const { lines } = issuesOf(method('{ type: action, name: a, provider: { type: python, module: chaosistio.fault.actions, func: add_delay_fault } }'));
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0]!, /method\[0\]\.provider\.module: cannot import Python module 'chaosistio\.fault\.actions' with \S+ \(Python 3[.\d]+\S*\): ModuleNotFoundError: No module named 'chaosistio'; install it for that interpreter \(python3 -m pip install chaostoolkit-istio\?\) or name another with --python PATH \/ FAULTMESH_PYTHON, or add its folder to PYTHONPATH$/);
  });

  it('offers the close names of a misspelt module part, a misspelt top-level module and a misspelt function, and no install advice', () => {
    mkdirSync(join(dir.path, 'fm_pkg'), { recursive: true });
    dir.file('fm_pkg/__init__.py', '');
    dir.file('fm_pkg/actions.py', 'def terminate_pods(label_selector):\n    return label_selector\n');
    const { lines } = issuesOf(
      method(
        '{ type: action, name: a, provider: { type: python, module: fm_pkg.action, func: terminate_pods } }',
        '{ type: action, name: b, provider: { type: python, module: fm_pkgg.actions, func: terminate_pods } }',
        '{ type: action, name: c, provider: { type: python, module: fm_pkg.actions, func: terminate_pod, arguments: { label_selector: x } } }',
        '{ type: probe, name: d, provider: { type: python, module: os.pth, func: exists, arguments: { path: / } } }',
      ),
    );
    assert.equal(lines.length, 4, lines.join('\n'));
    assert.match(lines[0]!, /method\[0\]\.provider\.module: .*No module named 'fm_pkg\.action'; did you mean 'fm_pkg\.actions'\?$/);
    assert.match(lines[1]!, /method\[1\]\.provider\.module: .*No module named 'fm_pkgg'; did you mean 'fm_pkg\.actions'\?$/);
    assert.match(lines[2]!, /method\[2\]\.provider\.func: Python module 'fm_pkg\.actions' has no function 'terminate_pod'; did you mean 'terminate_pods'\?$/);
    assert.match(lines[3]!, /method\[3\]\.provider\.module: .*No module named 'os\.pth'; 'os' is not a package; did you mean 'os\.path'\?$/);
  });

  it('refuses keyword arguments to a C builtin that takes none (time.sleep), which would fail when it runs, and says how to pause', () => {
    const { lines } = issuesOf(method('{ type: action, name: settle, provider: { type: python, module: time, func: sleep, arguments: { secs: 0.5 } } }'));
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0]!, /:3:\d+ method\[0\]\.provider\.arguments: time\.sleep is a builtin that takes no keyword arguments, and Chaos Toolkit passes 'secs' by keyword: it would fail with TypeError when it runs .*; for a pause, give the activity pauses: \{after: SECONDS\}$/);
  });

  it('warns, without refusing, of a builtin whose arguments Python cannot show, and says nothing of one that takes none', () => {
    const file = dir.experiment(method('{ type: probe, name: biggest, provider: { type: python, module: builtins, func: max, arguments: { key: 1 } } }', '{ type: probe, name: now, provider: { type: python, module: time, func: time } }'));
    const exp = loadExperiment(file, { python });
    assert.deepEqual(
      (exp.warnings ?? []).map(formatIssue),
      [`${file}:3:${(exp.warnings ?? [])[0]?.column} method[0].provider.arguments: cannot check the arguments of builtins.max: it is a builtin without a signature; Chaos Toolkit calls it with keyword arguments, which most builtins refuse`],
    );
  });

  it('checks a tolerance probe with its `value` argument, and controls\' modules', () => {
    const { lines } = issuesOf(`title: t
controls:
  - { name: tracing, provider: { type: python, module: no_such_control } }
method:
  - type: probe
    name: replicas
    provider: { type: python, module: fm_probe, func: answer, arguments: { kind: dict } }
    tolerance: { type: probe, name: enough, provider: { type: python, module: fm_probe, func: at_least } }
`);
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[0]!, /:3:\d+ controls\[0\]\.provider\.module: cannot import Python module 'no_such_control'/);
    assert.match(lines[1]!, /:8:\d+ method\[0\]\.tolerance\.provider\.arguments: required argument 'minimum' is missing: fm_probe\.at_least\(value, minimum\)/);
  });

  it('names every activity that needs Python when the interpreter is missing, and how to fix it', () => {
    const { lines } = issuesOf(method('{ type: action, name: kill-pod, provider: { type: python, module: os, func: getcwd } }', '{ type: probe, name: nodes, provider: { type: python, module: os, func: getcwd } }'), { interpreter: '/nonexistent/python', from: '--python' });
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /method\[0\]\.provider\.type: activity "kill-pod" needs Python: --python \/nonexistent\/python does not exist; install Python 3, or name an interpreter with --python PATH or FAULTMESH_PYTHON/);
    assert.match(lines[1]!, /method\[1\]\.provider\.type: activity "nodes" needs Python/);
  });

  it('does not start Python for an experiment that has no python activity', () => {
    const { lines } = issuesOf(method(`{ type: probe, name: p, provider: { type: process, path: "${process.execPath}", arguments: [-v] } }`), { interpreter: '/nonexistent/python', from: '--python' });
    assert.deepEqual(lines, []);
  });

  // Table-driven: what the schema itself refuses about python providers and controls, with the field named.
  const refused: Array<[string, string, RegExp]> = [
    ['a control of another type', 'title: t\ncontrols:\n  - { name: c, provider: { type: http, url: "http://x" } }\nmethod:\n  - { type: probe, name: p, provider: { type: python, module: os, func: getcwd } }\n', /controls\[0\]\.provider\.type: Chaos Toolkit controls of type "http" are not supported: faultmesh runs python controls only/],
    ['a ref to no top-level control', 'title: t\nmethod:\n  - { type: probe, name: p, controls: [{ ref: nope }], provider: { type: python, module: os, func: getcwd } }\n', /method\[0\]\.controls\[0\]\.ref: no top-level control named "nope"/],
    ['a control scope other than before or after', 'title: t\ncontrols:\n  - { name: c, scope: during, provider: { type: python, module: fm_control } }\nmethod:\n  - { type: probe, name: p, provider: { type: python, module: os, func: getcwd } }\n', /controls\[0\]\.scope: scope is before or after/],
    ['python arguments that are not a mapping', 'title: t\nmethod:\n  - { type: probe, name: p, provider: { type: python, module: os, func: getcwd, arguments: [1, 2] } }\n', /method\[0\]\.provider\.arguments: arguments of a python provider are a mapping of keyword arguments/],
    ['a module that is not a dotted path', 'title: t\nmethod:\n  - { type: probe, name: p, provider: { type: python, module: "my-module", func: f } }\n', /method\[0\]\.provider\.module: module is a dotted Python module path/],
  ];
  for (const [what, yaml, expected] of refused) {
    it(`refuses ${what}, naming the field`, () => {
      const { lines } = issuesOf(yaml);
      assert.ok(lines.some((l) => expected.test(l)), lines.join('\n'));
    });
  }
});
