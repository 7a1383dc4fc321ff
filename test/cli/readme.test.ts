import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadAll } from '../../cli/command-loaders.js';
import { commandTree } from '../../cli/command-tree.js';
import { parseOnly } from '../../cli/parse-only.js';
import { readmeCommands, shellWords, synopsisProblems } from './readme-commands.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

describe("README's faultmesh commands", () => {
  const found = readmeCommands(readFileSync(README, 'utf8'));
  const commands = found.filter((c) => c.kind === 'command');
  const synopses = found.filter((c) => c.kind === 'synopsis');

  it('are found in the code blocks and in inline code', () => {
    // README has a few dozen; far fewer means the extraction broke, and the checks below would pass on nothing.
    assert.ok(commands.length >= 15, `only ${commands.length} commands found`);
    assert.ok(synopses.length >= 30, `only ${synopses.length} synopses found`);
    assert.ok(synopses.some((s) => s.words[0] === 'proxy' && s.words.includes('[--drain')), 'the CLI block is read whole, continuation lines included');
  });

  it('each parse as written, without running: the command exists, its flags are known, its positionals are there', async () => {
    const refused: string[] = [];
    for (const c of commands) {
      const r = await parseOnly(c.words);
      if (r.kind === 'refused') refused.push(`README.md:${c.line}: faultmesh ${c.words.join(' ')}: ${r.message}`);
    }
    assert.deepEqual(refused, []);
  });

  it('each synopsis and inline mention names commands, actions and flags faultmesh has', async () => {
    const tree = commandTree(await loadAll());
    const problems = synopses.flatMap((s) => synopsisProblems(s.words, tree).map((p) => `README.md:${s.line}: ${s.text}: ${p}`));
    assert.deepEqual(problems, []);
  });

  it('would fail on a flag, an action or a command that does not exist', async () => {
    const tree = commandTree(await loadAll());
    for (const words of [['run', 'x.yaml', '--dryrun'], ['faults', 'lst'], ['stauts'], ['validate']]) {
      assert.equal((await parseOnly(words)).kind, 'refused', words.join(' '));
    }
    assert.deepEqual(synopsisProblems(['run', 'FILE', '[--dryrun]'], tree), ['no flag --dryrun in faultmesh run']);
    assert.deepEqual(synopsisProblems(['mesh', 'apply', 'FILE', '|', 'gte'], tree), ['no action "gte" in faultmesh mesh']);
    assert.deepEqual(synopsisProblems(['stauts'], tree), ['no command "stauts"']);
  });

  it('are split as a shell splits them: quotes, comments, redirections and "..." left out', () => {
    assert.deepEqual(shellWords(`faultmesh faults add "my rules.yaml" --token "$T" # on every proxy`), ['faultmesh', 'faults', 'add', 'my rules.yaml', '--token', '$T']);
    assert.deepEqual(shellWords('faultmesh mesh get > mesh.yaml 2>/dev/null'), ['faultmesh', 'mesh', 'get']);
    assert.deepEqual(shellWords('faultmesh status --json | jq .summary'), ['faultmesh', 'status', '--json']);
    assert.deepEqual(shellWords('faultmesh proxy --control URL --service checkout ...'), ['faultmesh', 'proxy', '--control', 'URL', '--service', 'checkout']);
  });
});
