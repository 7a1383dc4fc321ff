import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { pythonDir } from '../runner/python/python-fixture.js';

describe('faultmesh validate, run and gameday with Python', () => {
  const dir = pythonDir();
  after(() => dir.remove());
  const good = dir.experiment(`title: python works
method:
  - { type: probe, name: tmp-exists, provider: { type: python, module: os.path, func: exists, arguments: { path: "${dir.path}" } } }
  - { type: probe, name: replicas, provider: { type: python, module: fm_probe, func: answer, arguments: { kind: dict } } }
`);
  const bad = dir.experiment(`title: python broken
method:
  - { type: action, name: kill-pod, provider: { type: python, module: chaosk8s_not_installed.pod.actions, func: terminate_pods } }
  - { type: action, name: typo, provider: { type: python, module: fm_probe, func: answr } }
  - { type: action, name: move, provider: { type: python, module: os, func: rename, arguments: { source: a, dst: b } } }
`);

  it('validate exits 0 for python activities whose modules, functions and arguments fit', async () => {
    const r = await runCli(['validate', good]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /: ok \(experiment "python works", 2 method activities\)/);
  });

  it('validate exits 2 with file:line for an unimportable module, a missing function and a bad argument', async () => {
    const r = await runCli(['validate', bad]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`${bad}:3:\\d+ method\\[0\\]\\.provider\\.module: cannot import Python module 'chaosk8s_not_installed\\.pod\\.actions' with \\S+ \\(Python 3[.\\d]+\\S*\\): ModuleNotFoundError: No module named 'chaosk8s_not_installed'; install it for that interpreter or name another with --python PATH / FAULTMESH_PYTHON, or add its folder to PYTHONPATH\n`));
    assert.match(r.stderr, new RegExp(`${bad}:4:\\d+ method\\[1\\]\\.provider\\.func: Python module 'fm_probe' has no function 'answr'; did you mean 'answer'\\?\n`));
    assert.match(r.stderr, new RegExp(`${bad}:5:\\d+ method\\[2\\]\\.provider\\.arguments\\.source: argument 'source' is not a parameter of os\\.rename`));
    assert.match(r.stderr, new RegExp(`${bad}:5:\\d+ method\\[2\\]\\.provider\\.arguments: required argument 'src' is missing`));
    assert.match(r.stderr, /4 errors/);
  });

  it('validate --python /nonexistent names every activity that needs Python and exits 2', async () => {
    const r = await runCli(['validate', good, '--python', '/nonexistent/python3']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /method\[0\]\.provider\.type: activity "tmp-exists" needs Python: --python \/nonexistent\/python3 does not exist; install Python 3, or name an interpreter with --python PATH or FAULTMESH_PYTHON/);
    assert.match(r.stderr, /method\[1\]\.provider\.type: activity "replicas" needs Python/);
  });

  it('takes the interpreter from FAULTMESH_PYTHON when --python is not given, and says so', async () => {
    const r = await runCli(['validate', good], undefined, { FAULTMESH_PYTHON: '/nonexistent/py' });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /activity "tmp-exists" needs Python: FAULTMESH_PYTHON \/nonexistent\/py does not exist/);
  });

  it('run refuses before anything runs when the interpreter is missing: exit 2, no journal', async () => {
    const journal = join(dir.path, 'never.json');
    const r = await runCli(['run', good, '--python', '/nonexistent/python3', '--journal', journal]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /activity "tmp-exists" needs Python: --python \/nonexistent\/python3 does not exist/);
    assert.equal(existsSync(journal), false);
  });

  it('run with the python found on PATH runs the activities and exits 0', async () => {
    const journal = join(dir.path, 'good.json');
    const r = await runCli(['run', good, '--journal', journal]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(journal));
  });

  it('refuses --python with no value on validate, run and gameday, in one line, exit 2', async () => {
    const gameday = dir.file('day-blank.yaml', `gameday: g\ntimezone: UTC\nruns:\n  - { experiment: ${good}, at: 2030-01-01T09:00 }\n`);
    for (const args of [['validate', good, '--python'], ['run', good, '--python', '', '--dry-run'], ['gameday', 'plan', gameday, '--python']]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr, 'faultmesh: --python needs the path of a Python interpreter, e.g. --python /usr/bin/python3 (leave the flag out to use FAULTMESH_PYTHON, else python3 on PATH)\n', args.join(' '));
      assert.doesNotMatch(r.stdout, /ok/);
    }
  });

  it('says a --python that is a directory is no interpreter, not that it lacks permission', async () => {
    const r = await runCli(['validate', good, '--python', dir.path]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`activity "tmp-exists" needs Python: --python ${dir.path} is a directory, not a Python interpreter; name the interpreter itself`));
    assert.doesNotMatch(r.stderr, /permission denied/);
  });

  it('validate and run refuse a secret given only as a scope whose environment variable is unset, before anything runs', async () => {
    const scoped = dir.experiment(`title: scoped secret
secrets:
  k8s:
    KUBERNETES_HOST: { type: env, key: FM_F1_CLI_HOST }
method:
  - { type: probe, name: cwd, provider: { type: python, module: os, func: getcwd, secrets: [k8s] } }
`);
    const journal = join(dir.path, 'scoped.json');
    for (const args of [['validate', scoped], ['run', scoped, '--journal', journal]]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`${scoped}:4:\\d+ secrets\\.k8s\\.KUBERNETES_HOST: environment variable FM_F1_CLI_HOST is not set and the entry has no default\n1 error\n`));
    }
    assert.equal(existsSync(journal), false);
    const ok = await runCli(['validate', scoped], undefined, { FM_F1_CLI_HOST: 'https://127.0.0.1:6443' });
    assert.equal(ok.code, 0, ok.stderr);
  });

  it('validate prints a warning for a builtin whose arguments cannot be checked, and exits 0', async () => {
    const builtin = dir.experiment(`title: builtin\nmethod:\n  - { type: probe, name: biggest, provider: { type: python, module: builtins, func: max, arguments: { key: 1 } } }\n`);
    const r = await runCli(['validate', builtin]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`^warning: ${builtin}:3:\\d+ method\\[0\\]\\.provider\\.arguments: cannot check the arguments of builtins\\.max: it is a builtin without a signature; Chaos Toolkit calls it with keyword arguments, which most builtins refuse\n$`));
  });

  it('gameday plan checks the python of the experiments it names, with --python', async () => {
    const gameday = dir.file('day.yaml', `gameday: g\ntimezone: UTC\nruns:\n  - { experiment: ${good}, at: 2030-01-01T09:00 }\n`);
    const r = await runCli(['gameday', 'plan', gameday, '--python', '/nonexistent/python3']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /activity "tmp-exists" needs Python: --python \/nonexistent\/python3 does not exist/);
    const ok = await runCli(['gameday', 'plan', gameday]);
    assert.equal(ok.code, 0, ok.stderr);
  });
});
