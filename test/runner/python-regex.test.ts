import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { pythonRegExp, PythonRegexError } from '../../runner/python-regex.js';

/**
 * [pattern, text, what Python's re.compile(pattern).search(text) gives]:
 * found or not, or the start of the error Python raises. The last test
 * asks python3 itself, so the table cannot drift from the truth.
 */
const TABLE: ReadonlyArray<readonly [string, string, boolean | string]> = [
  // The new user's cases (issue #18): curl | jq output ends with a newline.
  ['^up$', 'up\n', true],
  ['^up$', 'up\n\n', false],
  ['\\Aup', 'up', true],
  ['\\Aup', 'xup', false],
  ['up\\Z', 'up\n', false],
  ['up\\Z', 'up', true],
  ['(?i)UP', 'up', true],
  ['(?P<s>up)', 'up', true],
  ['(?P<s>u)(?P=s)', 'uu', true],
  ['(?P<s>u)(?P=s)', 'up', false],
  // Lines, dots and flags.
  ['(?m)^b$', 'a\nb\nc', true],
  ['^b$', 'a\nb\nc', false],
  ['(?m)^b', 'a\rb', false],
  ['(?s)a.b', 'a\nb', true],
  ['a.b', 'a\nb', false],
  ['a.b', 'a\rb', true],
  ['(?im)^UP$', 'x\nup\ny', true],
  ['(?i)(?m)ab', 'AB', true],
  ['(?s:.)', '\n', true],
  ['(?-s:.)x', '\nx', false],
  ['(?m:^b)', 'a\nb', true],
  // Verbose mode.
  ['(?x) u p # a comment\n', 'up', true],
  ['(?x)u\\ p', 'u p', true],
  ['(?x)[ ]', 'a b', true],
  ['(?x)a[#]b', 'a#b', true],
  ['(?x)a *', 'aaa', true],
  ['a(?#comment)*', 'aaa', true],
  // Unicode classes, and ASCII ones under (?a).
  ['\\w', 'é', true],
  ['(?a)\\w', 'é', false],
  ['\\d', '٣', true],
  ['(?a)\\d', '٣', false],
  ['\\s', '\u0085', true],
  ['\\s', '\ufeff', false],
  ['\\bup\\b', 'é up é', true],
  ['\\bup\\b', 'éup', false],
  ['\\B', '', false],
  ['(?ia)É', 'é', false],
  ['(?ia)[a-c]', 'B', true],
  ['(?i)k', '\u212a', true],
  // Escapes, sets and braces as Python reads them.
  ['\\#', '#', true],
  ['\\$5', 'cost $5', true],
  ['[]a]', ']', true],
  ['[^]a]', 'b', true],
  ['[\\w.-]+@', 'a.b-c@x', true],
  ['[^\\W\\d]', '5', false],
  ['[\\b]', '\b', true],
  ['\\a', '\u0007', true],
  ['\\141', 'a', true],
  ['\\08', '\u00008', true],
  ['[\\0]', '\u0000', true],
  ['\\x41', 'A', true],
  ['\\U0001F600', '😀', true],
  ['a{', 'a{', true],
  ['x{}', 'x{}', true],
  ['a{,2}b', 'aab', true],
  ['status": *"up', '{"status": "up"}', true],
  ['^(200|201)$', '201', true],
  // Look-behind, atomic groups and possessive quantifiers (Python 3.11).
  ['(?<=ab|cd)e', 'cde', true],
  ['(?<!x)y', 'ay', true],
  ['(?=a)*b', 'b', true],
  ['(?>a+)b', 'aab', true],
  ['(?>a+)a', 'aaa', false],
  ['a++b', 'aab', true],
  ['a*+a', 'aaa', false],
  ['a{1,2}+b', 'ab', true],
  ['(a)\\1', 'aa', true],
  // What Python refuses.
  ['(', '', 'missing ), unterminated subpattern'],
  ['a)', '', 'unbalanced parenthesis'],
  ['\\z', '', 'bad escape \\z'],
  ['a(?i)b', '', 'global flags not at the start of the expression'],
  ['(?L)a', '', "bad inline flags: cannot use 'L' flag with a str pattern"],
  ['(?<=a+)b', '', 'look-behind requires fixed-width pattern'],
  ['(?<n>a)', '', 'unknown extension ?<n'],
  ['\\1', '', 'invalid group reference 1'],
  ['(a)\\10', '', 'invalid group reference 10'],
  ['[\\d-z]', '', 'bad character range \\d-z'],
  ['[c-a]', '', 'bad character range c-a'],
  ['a**', '', 'multiple repeat'],
  ['^*', '', 'nothing to repeat'],
  ['a{2,1}', '', 'min repeat greater than max repeat'],
  ['\\x4', '', 'incomplete escape \\x4'],
  ['(?P<a>x)(?P<a>y)', '', "redefinition of group name 'a' as group 2; was group 1"],
  ['(?P=nope)', '', "unknown group name 'nope'"],
];

/** Patterns Python takes that JavaScript's RegExp cannot match the same way: refused by name, with what to write instead. */
const REFUSED: ReadonlyArray<readonly [string, RegExp]> = [
  ['(a)?(?(1)a|b)', /^The conditional group \(\?\(group\)yes\|no\) has no equivalent in JavaScript's regular expressions, which faultmesh matches with: write its two cases as alternatives/],
  ['(?i:a)b', /^A group that turns case-insensitivity on or off, \(\?i:\.\.\.\), has no equivalent .*: start the pattern with \(\?i\)/],
  ['(?i)(?-i:a)b', /case-insensitivity on or off, \(\?-i:\.\.\.\)/],
  ['\\N{LATIN SMALL LETTER A}', /^A character named by \\N\{\.\.\.\} has no equivalent .*: write the character itself, or \\uXXXX$/],
];

const outcome = (pattern: string, text: string): boolean | string => {
  try {
    return pythonRegExp(pattern).test(text);
  } catch (err) {
    return (err as Error).message;
  }
};

describe('a regex tolerance\'s pattern, read as Python\'s re reads it', () => {
  for (const [pattern, text, expected] of TABLE) {
    const what = typeof expected === 'boolean' ? (expected ? 'finds it in' : 'does not find it in') : `is refused, as Python refuses it (${expected})`;
    it(`${JSON.stringify(pattern)} ${what}${typeof expected === 'boolean' ? ` ${JSON.stringify(text)}` : ''}`, () => {
      const got = outcome(pattern, text);
      if (typeof expected === 'boolean') assert.equal(got, expected);
      else assert.match(String(got), new RegExp(`^${expected.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')} at position \\d+$`));
    });
  }

  for (const [pattern, message] of REFUSED) {
    it(`${JSON.stringify(pattern)} is refused by name: JavaScript has no equivalent`, () => {
      assert.throws(() => pythonRegExp(pattern), (err: unknown) => err instanceof PythonRegexError && err.kind === 'unsupported' && message.test(err.message));
    });
  }

  it('compiles a pattern once, however often it is judged', () => {
    assert.equal(pythonRegExp('^up$'), pythonRegExp('^up$'));
  });

  const python = spawnSync('python3', ['-c', 'pass']).status === 0;
  it('agrees with python3 on every row of the table', { skip: python ? false : 'python3 is not installed: the table above still holds what Python 3.11 says' }, () => {
    const script = `import json, re, sys\nout = []\nfor p, s in json.load(sys.stdin):\n    try:\n        out.append(re.compile(p).search(s) is not None)\n    except re.error as e:\n        out.append(str(e))\nprint(json.dumps(out))`;
    const run = spawnSync('python3', ['-W', 'ignore', '-c', script], { input: JSON.stringify(TABLE.map(([p, s]) => [p, s])), encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 0, run.stderr);
    const truth = JSON.parse(run.stdout) as Array<boolean | string>;
    TABLE.forEach(([pattern, text, expected], i) => {
      const py = truth[i]!;
      if (typeof expected === 'boolean') assert.equal(py, expected, `${JSON.stringify(pattern)} on ${JSON.stringify(text)}`);
      else assert.ok(typeof py === 'string' && py.startsWith(expected), `${JSON.stringify(pattern)}: Python says ${JSON.stringify(py)}`);
    });
    // And what faultmesh refuses, Python takes.
    const refused = spawnSync('python3', ['-W', 'ignore', '-c', 'import json, re, sys\nfor p in json.load(sys.stdin): re.compile(p)'], { input: JSON.stringify(REFUSED.map(([p]) => p)), encoding: 'utf8', timeout: 30_000 });
    assert.equal(refused.status, 0, refused.stderr);
  });
});
