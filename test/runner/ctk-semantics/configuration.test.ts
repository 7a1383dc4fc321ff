import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ConfigError } from '../../../proxy/config/config-error.js';
import { convertEnvValue } from '../../../runner/experiment/env-var-type.js';
import { loadExperiment } from '../../../runner/experiment/load-experiment.js';
import { collectVariables } from '../../../runner/experiment/variables.js';
import { tempDir } from '../../helpers/mesh-fixture.js';

const METHOD = 'method:\n  - { type: action, name: a, provider: { type: process, path: "true", arguments: ["${v}"] } }\n';

describe('environment configuration with env_var_type, as chaoslib converts it', () => {
  const cases: Array<[Parameters<typeof convertEnvValue>[0], unknown, unknown]> = [
    [undefined, '8080', '8080'],
    ['str', ' x ', ' x '],
    ['int', ' 8080 ', 8080],
    ['integer', '-1_000', -1000],
    ['float', '0.25', 0.25],
    ['number', '1e3', 1000],
    ['bool', 'False', false],
    ['bool', 'no', false],
    ['bool', '0', false],
    ['bool', 'yes', true],
    ['bool', '', true],
    ['json', '{"a": [1, 2]}', { a: [1, 2] }],
    ['json', '', ''],
    ['bytes', 'raw', 'raw'],
    ['int', 7.9, 7],
    ['bool', true, true],
  ];
  for (const [type, input, expected] of cases) {
    it(`reads ${JSON.stringify(input)} as ${type ?? 'text'}: ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(convertEnvValue(type, input), { ok: true, value: expected });
    });
  }

  it('says why a value is not of its type', () => {
    assert.deepEqual(convertEnvValue('int', '4.2'), { ok: false, why: 'not an integer' });
    assert.deepEqual(convertEnvValue('float', 'fast'), { ok: false, why: 'not a number' });
    assert.deepEqual(convertEnvValue('float', 'inf'), { ok: false, why: 'a float JSON cannot hold' });
    assert.equal(convertEnvValue('json', '{oops').ok, false);
  });

  it('converts the variable, or the default when it is unset, and keeps secrets as text (chaoslib converts no secret)', () => {
    const vars = collectVariables(
      {
        configuration: { port: { type: 'env', key: 'FM_H4_PORT', env_var_type: 'int' }, fallback: { type: 'env', key: 'FM_H4_UNSET', default: '3', env_var_type: 'int' } },
        secrets: { db: { dbPort: { type: 'env', key: 'FM_H4_PORT', env_var_type: 'int' } } },
      },
      {},
      { FM_H4_PORT: '5432' },
    );
    assert.deepEqual(vars.get('port'), { kind: 'value', value: 5432, secret: false });
    assert.deepEqual(vars.get('fallback'), { kind: 'value', value: 3, secret: false });
    assert.deepEqual(vars.get('dbPort'), { kind: 'value', value: '5432', secret: true });
  });

  it('reports a value that is not of its type where it is used, naming the variable', () => {
    const dir = tempDir();
    try {
      const file = dir.file('e.yaml', `title: t\nconfiguration:\n  v: { type: env, key: FM_H4_BAD_PORT, env_var_type: int }\n${METHOD}`);
      assert.throws(() => loadExperiment(file, { env: { FM_H4_BAD_PORT: 'eighty' } }), /:5:\d+ method\[0\]\.provider\.arguments\[0\]: \$\{v\}: environment variable FM_H4_BAD_PORT is "eighty", not an integer \(env_var_type: int\)/);
      const exp = loadExperiment(file, { env: { FM_H4_BAD_PORT: '80' } });
      const p = exp.method[0]!.provider;
      assert.deepEqual(p.type === 'process' && p.arguments, ['80']);
    } finally {
      dir.remove();
    }
  });
});

describe('configuration and secret entries of other types', () => {
  const dir = tempDir();
  after(() => dir.remove());
  const refusal = (sections: string): string => {
    try {
      loadExperiment(dir.file(`e-${Math.random().toString(36).slice(2)}.yaml`, `title: t\n${sections}${METHOD.replace('${v}', 'x')}`));
    } catch (err) {
      assert.ok(err instanceof ConfigError, String(err));
      return err.message;
    }
    assert.fail('expected a refusal');
  };

  for (const [what, sections, expected] of [
    ['a Vault configuration', 'configuration:\n  token: { type: vault, path: secret/x }\n', /:3:\d+ configuration\.token\.type: Chaos Toolkit configuration of type "vault" is not supported: faultmesh reads no HashiCorp Vault/],
    ['a Vault secret', 'secrets:\n  k8s:\n    token: { type: vault, path: foo/bar, key: mypassword }\n', /:4:\d+ secrets\.k8s\.token\.type: Chaos Toolkit secrets of type "vault" are not supported: faultmesh reads no HashiCorp Vault; export the value into an environment variable/],
    ['a dynamic configuration probe', 'configuration:\n  token:\n    type: probe\n    name: get-token\n    provider: { type: process, path: cat, arguments: token.txt }\n', /:4:\d+ configuration\.token\.type: Chaos Toolkit configuration of type "probe" is not supported: .*pass its result with --var NAME=VALUE/],
    ['an unknown type', 'configuration:\n  x: { type: consul, key: k }\n', /configuration\.x\.type: Chaos Toolkit configuration of type "consul" is not supported: an entry is a literal value, a mapping without a type, or \{type: env, key, default\?, env_var_type\?\}/],
    ['a Vault secret inside a mapping of secrets', 'secrets:\n  k8s:\n    creds: { user: admin, password: { type: vault, path: p } }\n', /secrets\.k8s\.creds\.password\.type: Chaos Toolkit secrets of type "vault" are not supported/],
    ['an unknown env_var_type', 'configuration:\n  v: { type: env, key: K, env_var_type: float64 }\n', /configuration\.v\.env_var_type: env_var_type is one of str, string, int, integer, float, number, bool, json, bytes/],
    ['a misspelt field of an env entry', 'configuration:\n  v: { type: env, key: K, defualt: 1 }\n', /configuration\.v\.defualt: unknown field/],
  ] as const) {
    it(`refuses ${what} by name, with what to do instead`, () => {
      const message = refusal(sections);
      assert.match(message, expected);
      assert.doesNotMatch(message, /expected "env"|Invalid input/);
    });
  }

  it('takes literal mappings, numbers and lists as configuration and secrets, and mappings of secrets resolved inside', () => {
    const file = dir.file(
      'literals.yaml',
      `title: t
configuration:
  limits: { cpu: 2, memory: 512Mi }
  zones: [a, b]
secrets:
  db:
    port: 5432
    creds: { user: { type: env, key: FM_H4_USER }, password: hunter2 }
method:
  - { type: action, name: a, provider: { type: http, url: "http://127.0.0.1:1/", method: POST, arguments: { limits: "\${limits}", creds: "\${creds}", port: "\${port}" } } }
`,
    );
    const exp = loadExperiment(file, { env: { FM_H4_USER: 'admin' } });
    const p = exp.method[0]!.provider;
    assert.deepEqual(p.type === 'http' && p.arguments, { limits: { cpu: 2, memory: '512Mi' }, creds: { user: 'admin', password: 'hunter2' }, port: 5432 });
    assert.ok(exp.secrets.includes('5432'), 'a number secret is masked like any other');
  });

  it('accepts the Chaos Toolkit keys faultmesh does not use (dry, extensions, contributions, tags) and runtime', () => {
    const file = dir.file(
      'keys.yaml',
      `version: 1.0.0
title: t
description: d
tags: [a]
contributions: { reliability: high }
extensions: [{ name: vendorX, data: "..." }]
dry: probes
runtime: { rollbacks: { strategy: deviated } }
${METHOD.replace('${v}', 'x')}`,
    );
    assert.equal(loadExperiment(file).runtime.rollbacks?.strategy, 'deviated');
  });
});

describe('a name declared in more than one place', () => {
  it('is the configuration\'s, then the first secret scope\'s, as Chaos Toolkit looks names up; --var wins over all', () => {
    const raw = { configuration: { host: 'from-config' }, secrets: { a: { host: 'from-a', token: 'a-token' }, b: { token: 'b-token' } } };
    const vars = collectVariables(raw, {}, {});
    assert.deepEqual(vars.get('host'), { kind: 'value', value: 'from-config', secret: false });
    assert.deepEqual(vars.get('token'), { kind: 'value', value: 'a-token', secret: true });
    assert.deepEqual(collectVariables(raw, { token: 'cli' }, {}).get('token'), { kind: 'value', value: 'cli', secret: true });
  });
});
