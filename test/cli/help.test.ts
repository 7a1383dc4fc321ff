import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadAll } from '../../cli/command-loaders.js';
import { commandTree, everyCommand, type CommandNode } from '../../cli/command-tree.js';
import { parseOnly } from '../../cli/parse-only.js';

/** Lines of a help text that show a flag or positional with nothing but its tags: `  files   [array] [required] [default: []]`. */
const undescribed = (help: string) => help.split('\n').filter((l) => /^ {2}(-{0,2}[\w-]+)(, -{1,2}[\w-]+)*\s+(\[[^\]]*\]\s*)+$/.test(l));

/** What in the command's own declarations has no description (the first positional of a command with actions stands for the action, listed under Commands). */
function missing(node: CommandNode): string[] {
  const positionals = node.children.length ? node.positionals.slice(1) : node.positionals;
  return [...positionals.filter((p) => !p.describe?.trim()).map((p) => `<${p.name}>`), ...node.flags.filter((f) => !f.hidden && !f.describe?.trim()).map((f) => `--${f.name}`)];
}

describe('every command\'s help', async () => {
  const tree = commandTree(await loadAll());
  const commands = everyCommand(tree).filter((c) => c.path.length > 0);

  it('walks the whole tree: every command and action', () => {
    assert.ok(commands.length >= 35, `only ${commands.length} commands and actions`);
    assert.ok(commands.some((c) => c.path.join(' ') === 'ca token revoke'), 'three levels deep');
  });

  for (const top of tree.children) {
    const nodes = everyCommand(top);
    it(`describes every flag and positional of ${top.name} and its actions`, async () => {
      const problems: string[] = [];
      for (const node of nodes) {
        for (const what of missing(node)) problems.push(`faultmesh ${node.path.join(' ')}: ${what} has no description`);
        const help = await parseOnly([...node.path, '--help']);
        assert.equal(help.kind, 'printed', node.path.join(' '));
        for (const line of undescribed(help.kind === 'printed' ? help.text : '')) problems.push(`faultmesh ${node.path.join(' ')} --help: "${line.trim()}"`);
      }
      assert.deepEqual(problems, []);
    });
  }

  it('shows validate\'s files with a description and without [default: []]', async () => {
    const help = await parseOnly(['validate', '--help']);
    assert.equal(help.kind, 'printed');
    const text = help.kind === 'printed' ? help.text : '';
    assert.match(text, /files +one or more files to check/);
    assert.doesNotMatch(text, /\[default: \[\]\]/);
    assert.doesNotMatch(text, /\[array\]|\[required\]/, 'the usage line <files..> already says one or more, required');
    assert.match(text, /--registered +check meshes[\s\S]*?\(default: off\)/, 'with tags hidden, the description gives the default');
  });

  it('keeps the type tags of every other command', async () => {
    const help = await parseOnly(['proxy', '--help']);
    assert.match(help.kind === 'printed' ? help.text : '', /\[string\]/);
  });

  it('shows the defaults yargs applies', async () => {
    const help = await parseOnly(['proxy', '--help']);
    assert.match(help.kind === 'printed' ? help.text : '', /--listen[\s\S]*?\[default: "127\.0\.0\.1:15001"\]/);
  });

  it('lists the aliases of actions: faults ls, faults remove', async () => {
    const help = await parseOnly(['faults', '--help']);
    const text = help.kind === 'printed' ? help.text : '';
    assert.match(text, /faults list .*\[aliases: ls\]/s);
    assert.match(text, /faults rm <id> .*\[aliases: remove\]/s);
  });

  it('would catch a flag without a description', () => {
    const node = commandTree([(y) => y.command({ command: 'x', describe: 'x', builder: (b) => b.option('bare', { type: 'string' }), handler: () => {} })]).children[0]!;
    assert.deepEqual(missing(node), ['--bare']);
    assert.deepEqual(undescribed('Options:\n  --bare                                                                [string]\n  --ok    fine  [string]'), ['  --bare                                                                [string]']);
  });
});
