import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withAliases } from '../../cli/command-aliases.js';
import { commandTree } from '../../cli/command-tree.js';
import { distance, nearest } from '../../cli/diagnose.js';
import { parseOnly } from '../../cli/parse-only.js';
import { usageOf } from '../../cli/usage-line.js';
import { runCli } from '../helpers/cli.js';

describe('a mistyped command line', () => {
  for (const [words, message, usage] of [
    [['faults', 'lst'], /^faults has no action "lst": did you mean `list`\?$/, /^usage: faultmesh faults list \[--admin ADMIN\]\.\.\. \[--control CONTROL\] \[--token TOKEN\]/],
    [['stauts'], /^no command "stauts": did you mean `status`\?$/, /^usage: faultmesh status \[--control CONTROL\] \[--token TOKEN\] \[--json\] \[--watch\]$/],
    [['mesh', 'aply', 'm.yaml'], /^mesh has no action "aply": did you mean `apply`\?$/, /^usage: faultmesh mesh apply <file>/],
    [['canary', 'status', '--jsn'], /^Unknown argument: jsn; did you mean --json\?$/, /^usage: faultmesh canary status \[name\]/],
    [['run', 'x.yaml', '--dryrun'], /^Unknown argument: dryrun; did you mean --dry-run\? \(faultmesh run --help lists its flags\)$/, undefined],
    [['mesh', 'fetch'], /^mesh has no action "fetch"; its actions are apply, get or diff$/, /^usage: faultmesh mesh <apply\|get\|diff> \.\.\.\n {7}faultmesh mesh apply <file> +validate a mesh file/],
    [['mesh'], /^mesh needs an action: apply, get or diff$/, /^usage: faultmesh mesh <apply\|get\|diff>/],
    [['validate'], /^validate needs <files> \(one or more files to check/, /^usage: faultmesh validate <files\.\.> /],
    [['ca', 'tokn', 'list'], /^ca has no action "tokn": did you mean `token`\?$/, /^usage: faultmesh ca token <create\|list\|revoke> \.\.\./],
    [['xyzzy'], /^no command "xyzzy"; the commands are proxy, run, .* or completion \(faultmesh --help describes each\)$/, undefined],
  ] as const) {
    it(`\`faultmesh ${words.join(' ')}\` says what was meant, with its short usage`, async () => {
      const r = await parseOnly(words);
      assert.equal(r.kind, 'refused');
      if (r.kind !== 'refused') return;
      assert.match(r.message, message);
      if (usage) assert.match(r.usage ?? '', usage);
      else assert.equal(r.usage, undefined, 'a usage too long to be short is left to --help');
    });
  }

  it('takes the common aliases: faults ls, faults remove ID, ca token ls', async () => {
    for (const [words, command] of [
      [['faults', 'ls'], 'ls'],
      [['faults', 'remove', 'f1'], 'remove'],
      [['ca', 'token', 'ls'], 'ls'],
    ] as const) {
      const r = await parseOnly(words);
      assert.equal(r.kind, 'parsed', words.join(' '));
      assert.deepEqual(r.kind === 'parsed' ? (r.argv._ as string[]).at(-1) : undefined, command);
    }
    assert.deepEqual(withAliases(['list', 'x']), [['list', 'ls'], 'x']);
    assert.deepEqual(withAliases([['list', 'ls'], 'x']), [['list', 'ls'], 'x'], 'an alias already given is not added twice');
    assert.deepEqual(withAliases([{ command: 'rm <id>', describe: 'x' }]), [{ command: 'rm <id>', describe: 'x', aliases: ['remove'] }]);
  });

  it('exits 2 with one sentence and the short usage on stderr, not the whole help', async () => {
    const r = await runCli(['faults', 'lst']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^faultmesh: faults has no action "lst": did you mean `list`\?\nusage: faultmesh faults list /);
    assert.doesNotMatch(r.stderr, /Commands:|Options:/);
    assert.ok(r.stderr.split('\n').length <= 4, r.stderr);
  });

  it('finds the nearest word within a distance that grows with it, and nothing when none is near', () => {
    assert.equal(distance('stauts', 'status'), 1, 'a swap is one step');
    assert.equal(nearest('lst', ['list', 'add', 'rm']), 'list');
    assert.equal(nearest('val', ['validate', 'status']), 'validate', 'a prefix of one command');
    assert.equal(nearest('renew', ['list', 'add', 'rm', 'resume']), undefined, 'resume is three steps from renew: not a guess');
    assert.equal(nearest('re', ['report', 'resume']), undefined, 'a prefix of two is no answer');
  });

  it('writes a synopsis from what the command declares: required first, defaults as examples, repeatable flags with ...', () => {
    const [node] = commandTree([
      (y) =>
        y.command({
          command: 'demo <file>',
          describe: 'x',
          builder: (b) => b.option('service', { type: 'string', demandOption: true, describe: 'x' }).option('listen', { type: 'string', default: '127.0.0.1:1', describe: 'x' }).option('admin', { type: 'string', array: true, describe: 'x' }).option('dry-run', { type: 'boolean', describe: 'x' }).option('format', { choices: ['html', 'md'], describe: 'x' }),
          handler: () => {},
        }),
    ]).children;
    assert.equal(usageOf(node!, 200), 'usage: faultmesh demo <file> --service SERVICE [--listen 127.0.0.1:1] [--admin ADMIN]... [--dry-run] [--format html|md]');
  });
});

describe('shell completion', () => {
  const complete = async (...words: string[]) => {
    const r = await runCli(['--get-yargs-completions', 'faultmesh', ...words]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim().split('\n');
  };

  it('completes command names, then the actions and flags of the command typed', async () => {
    assert.deepEqual(await complete('fa'), ['faults']);
    assert.ok((await complete('')).includes('toxiproxy'), 'every command, though no module was loaded for them');
    assert.deepEqual((await complete('mesh', '')).slice(0, 3), ['apply', 'get', 'diff']);
    const flags = await complete('mesh', 'apply', 'x.yaml', '--');
    assert.ok(flags.includes('--expect-version') && flags.includes('--control'), flags.join(' '));
  });

  it('prints a bash script that asks faultmesh itself', async () => {
    const r = await runCli(['completion'], undefined, { SHELL: '/bin/bash' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /faultmesh --get-yargs-completions/);
    assert.match(r.stdout, /complete -o bashdefault -o default -F _faultmesh_yargs_completions faultmesh/);
  });
});
