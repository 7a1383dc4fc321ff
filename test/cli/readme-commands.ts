import { COMMAND_NAMES } from '../../cli/command-loaders.js';
import { childNamed, everyCommand, flagsIn, type CommandNode } from '../../cli/command-tree.js';

/** A `faultmesh ...` line of README: a command to run as written, or a synopsis (`[--flag X]`, `a | b`) or inline mention whose words must exist. */
export interface ReadmeCommand {
  readonly line: number;
  readonly text: string;
  readonly kind: 'command' | 'synopsis';
  /** The words after `faultmesh`: for a command as a shell splits them (comments, redirections and `...` dropped); for a synopsis split at spaces, `|` and brackets kept. */
  readonly words: readonly string[];
}

/** A synopsis writes alternatives and optional parts; a command to run has none. */
const isSynopsis = (text: string) => /\[[-A-Za-z.]|\s\|\s|\.\.\.\]/.test(text);

/**
 * Splits one shell line into words: quotes kept together and removed, `#`
 * comments, redirections (`> file`, `2>/dev/null`) and pipes to other
 * programs dropped, and `...` or `…` (README's "and so on") left out.
 */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else word = (word ?? '') + c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '#' && word === undefined) break;
    else if ((c === '|' || c === ';' || c === '&') && word === undefined) break;
    else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (/^\d?>>?$/.test(w) || w === '<') i++;
    else if (/^\d?>>?\S/.test(w)) continue;
    else if (w !== '...' && w !== '…') out.push(w);
  }
  return out;
}

const startsCommand = (text: string) => {
  const [first, second] = text.trim().replace(/^\$\s+/, '').split(/\s+/);
  return first === 'faultmesh' && second !== undefined && (COMMAND_NAMES.includes(second) || second.startsWith('-'));
};

const synopsis = (line: number, text: string): ReadmeCommand => ({ line, text, kind: 'synopsis', words: text.replace(/\s#\s.*$/, '').trim().split(/\s+/).slice(1) });

/**
 * What a synopsis names that faultmesh does not have: a command, an action
 * (a word after ` | ` where the command has actions) or a flag (any
 * `--name`, looked for in the command and every action under it).
 */
export function synopsisProblems(words: readonly string[], root: CommandNode): string[] {
  const top = childNamed(root, words[0] ?? '');
  if (!top) return words[0] === 'completion' ? [] : [`no command "${words[0]}"`];
  let node = top;
  let i = 1;
  for (; i < words.length && childNamed(node, words[i]!); i++) node = childNamed(node, words[i]!)!;
  const actionsOf = node.parent !== root ? node.parent : undefined;
  const problems: string[] = [];
  const known = new Set(everyCommand(top).flatMap((c) => flagsIn(c).flatMap((f) => [f.name, ...f.aliases])));
  for (let j = 1; j < words.length; j++) {
    const w = words[j]!;
    const flag = /^\[*--(?:no-)?([a-z][a-z0-9-]*)/.exec(w)?.[1];
    if (flag !== undefined && !known.has(flag)) problems.push(`no flag --${flag} in faultmesh ${top.name}`);
    const next = words[j + 1];
    if (w === '|' && actionsOf && next !== undefined && /^[a-z][a-z-]*$/.test(next) && !childNamed(actionsOf, next)) problems.push(`no action "${next}" in faultmesh ${actionsOf.path.join(' ')}`);
  }
  return problems;
}

/** Every `faultmesh <command> ...` line in README's code blocks (continuation lines joined), and every one in inline code as a synopsis. */
export function readmeCommands(readme: string): ReadmeCommand[] {
  const found: ReadmeCommand[] = [];
  const lines = readme.split('\n');
  let inBlock = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*```/.test(line)) {
      inBlock = !inBlock;
      continue;
    }
    if (inBlock) {
      if (!startsCommand(line)) continue;
      let text = line.trim().replace(/^\$\s+/, '');
      const at = i + 1;
      while (text.endsWith('\\') && i + 1 < lines.length) text = `${text.slice(0, -1).trimEnd()} ${lines[++i]!.trim()}`;
      // A synopsis line of the CLI block goes on in the indented lines under it.
      if (isSynopsis(text)) while (i + 1 < lines.length && /^\s{6,}\[/.test(lines[i + 1]!)) text = `${text} ${lines[++i]!.trim()}`;
      found.push(isSynopsis(text) ? synopsis(at, text) : { line: at, text, kind: 'command', words: shellWords(text).slice(1) });
      continue;
    }
    for (const m of line.matchAll(/`(faultmesh [^`]+)`/g)) {
      if (startsCommand(m[1]!)) found.push(synopsis(i + 1, m[1]!));
    }
  }
  return found;
}
