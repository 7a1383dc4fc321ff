import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ConfigError } from '../../../proxy/config/config-error.js';
import { loadExperiment } from '../../../runner/experiment/load-experiment.js';
import { tempDir } from '../../helpers/mesh-fixture.js';

const dir = tempDir();
after(() => dir.remove());

/** Every message validation gives for `text`, as `line:column field: message` without the file. */
function messages(text: string): string[] {
  const file = dir.file(`exp-${Math.random().toString(36).slice(2)}.yaml`, text);
  try {
    loadExperiment(file, { env: {} });
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues.map((i) => `${i.line}:${i.column} ${i.field}: ${i.message}`);
  }
  return assert.fail('the file was valid');
}

const withMethod = (activity: string) => `title: t\nconfiguration:\n  flags: [-a, -b]\n  obj: { k: v }\nmethod:\n  - ${activity}\n`;
const processWith = (args: string) => withMethod(`{ type: action, name: a, provider: { type: process, path: echo, arguments: ${args} } }`);

describe('experiment validation says what a field takes, never zod\'s "Invalid input"', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['a ${} list inside a list of process arguments', processWith('["${flags}"]'), /^6:\d+ method\[0\]\.provider\.arguments\[0\]: each argument in a list is a string, number, boolean or null; \$\{flags\} gave a list: write arguments: \$\{flags\} to pass the list$/],
    ['a list inside a list of process arguments', processWith('[[1, 2]]'), /method\[0\]\.provider\.arguments\[0\]: each argument in a list is a string, number, boolean or null, not a list$/],
    ['a mapping inside a list of process arguments', processWith('[{ a: 1 }]'), /arguments\[0\]: each argument in a list is a string, number, boolean or null, not a mapping$/],
    ['a ${} mapping as a value of process arguments', processWith('{ k: "${obj}" }'), /arguments\.k: each value of an arguments mapping is a string, number, boolean or null; \$\{obj\} gave a mapping$/],
    ['process arguments of another form', processWith('5'), /method\[0\]\.provider\.arguments: arguments is a string \(run through a shell\), a list of arguments or a mapping of flags to values, not the number 5$/],
    ['an activity that is not a mapping', withMethod('just-a-string'), /^6:5 method\[0\]: an activity is a mapping \(type, name, provider\.\.\.\) or \{ref: NAME\}$/],
    ['a name that is a number', withMethod('{ type: action, name: 5, provider: { type: process, path: echo } }'), /method\[0\]\.name: expected a string, not the number 5$/],
    ['background as text', withMethod('{ type: action, name: a, background: "yes", provider: { type: process, path: echo } }'), /method\[0\]\.background: expected true or false, not the text "yes"$/],
    ['a process timeout that is a list', withMethod('{ type: action, name: a, provider: { type: process, path: echo, timeout: [1, 2] } }'), /method\[0\]\.provider\.timeout: give seconds \(5\) or a duration \(250ms, 2s\)$/],
    ['an http timeout of three values', withMethod('{ type: probe, name: a, provider: { type: http, url: "http://x", timeout: [1, 2, 3] } }'), /provider\.timeout: timeout is one limit \(seconds or a duration\) or two, \[connect, read\]$/],
    ['a list in a tolerance list', withMethod('{ type: probe, name: a, tolerance: [[1]], provider: { type: http, url: "http://x" } }'), /method\[0\]\.tolerance\[0\]: each value in a tolerance list is a number, a string or true\/false, not a list$/],
    ['a regex pattern that is a number', withMethod('{ type: probe, name: a, tolerance: { type: regex, pattern: 5 }, provider: { type: http, url: "http://x" } }'), /tolerance\.pattern: expected a string, not the number 5$/],
    ['a regex pattern Python refuses', withMethod('{ type: probe, name: a, tolerance: { type: regex, pattern: "a(?i)b" }, provider: { type: http, url: "http://x" } }'), /tolerance\.pattern: not a valid Python regular expression \(Chaos Toolkit compiles it with Python's re\): global flags not at the start of the expression at position 1$/],
    ['a regex pattern JavaScript cannot match as Python does', withMethod('{ type: probe, name: a, tolerance: { type: regex, pattern: "(?i:up)" }, provider: { type: http, url: "http://x" } }'), /tolerance\.pattern: A group that turns case-insensitivity on or off, \(\?i:\.\.\.\), has no equivalent in JavaScript's regular expressions/],
  ];
  for (const [what, text, expected] of cases) {
    it(`for ${what}`, () => {
      const found = messages(text);
      assert.equal(found.length, 1, found.join('\n'));
      assert.match(found[0]!, expected);
      assert.doesNotMatch(found[0]!, /Invalid input|Too (small|big)/);
    });
  }
});

describe('experiment validation reports everything at once', () => {
  it('gives duplicate names and refs to nothing beside the schema\'s errors, not after they are fixed', () => {
    const found = messages(`title: t
steady-state-hypotheses: {}
method:
  - { type: action, name: a, provider: { type: pyton, module: os, func: getcwd } }
  - { type: action, name: a, provider: { type: process, path: "true" } }
rollbacks:
  - ref: b
`);
    assert.deepEqual(
      found.map((m) => m.replace(/^\d+:\d+ /, '')).sort(),
      [
        'method[0].provider.type: provider type is one of http, process, python, fault, metric, load, prometheus',
        'method[1].name: activity name "a" is already used at method[0]; give this one another name, or write {ref: a} to run that one again',
        'rollbacks[0].ref: no activity named "b" is declared in this experiment',
        'steady-state-hypotheses: unknown field',
      ],
    );
  });
});
