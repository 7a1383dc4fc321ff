import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ConfigError, formatIssue } from '../../../proxy/config/config-error.js';
import { loadExperiment, type LoadOptions } from '../../../runner/experiment/load-experiment.js';
import { tempDir } from '../../helpers/mesh-fixture.js';

// A python provider given its secrets by scope (`secrets: [k8s]`) never names them with ${}: an entry without a value must be refused all the same, as chaoslib refuses it.
const K8S = `title: t
configuration:
  ns: { type: env, key: FM_F1_NS, default: shop }
secrets:
  k8s:
    KUBERNETES_HOST:
      type: env
      key: FM_F1_K8S_HOST
    KUBERNETES_API_KEY: s3cr3t-token
method:
  - type: action
    name: terminate-pods
    provider: { type: python, module: os.path, func: exists, arguments: { path: "\${ns}" }, secrets: [k8s] }
`;

describe('configuration and secret entries an experiment declares', () => {
  const dir = tempDir();
  after(() => dir.remove());
  const issuesOf = (text: string, options: LoadOptions): string[] => {
    try {
      loadExperiment(dir.file(`e-${Math.random().toString(36).slice(2)}.yaml`, text), options);
      return [];
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      return err.issues.map((i) => formatIssue({ ...i, file: '' }));
    }
  };

  it('refuses a secret passed only as a scope whose environment variable is unset, at the entry\'s own line', () => {
    assert.deepEqual(issuesOf(K8S, { env: {} }), [':6:5 secrets.k8s.KUBERNETES_HOST: environment variable FM_F1_K8S_HOST is not set and the entry has no default']);
  });

  it('hands the scope the value once the variable is set, even to an empty value (chaoslib asks only that it is set)', () => {
    assert.deepEqual(loadExperiment(dir.file('set.yaml', K8S), { env: { FM_F1_K8S_HOST: 'https://127.0.0.1:6443' } }).secretScopes, { k8s: { KUBERNETES_HOST: 'https://127.0.0.1:6443', KUBERNETES_API_KEY: 's3cr3t-token' } });
    assert.deepEqual(loadExperiment(dir.file('empty.yaml', K8S), { env: { FM_F1_K8S_HOST: '' } }).secretScopes.k8s, { KUBERNETES_HOST: '', KUBERNETES_API_KEY: 's3cr3t-token' });
  });

  it('takes a --var of the entry\'s name instead of the environment, as chaoslib takes extra vars', () => {
    const exp = loadExperiment(dir.file('var.yaml', K8S), { env: {}, vars: { KUBERNETES_HOST: 'https://10.0.0.1' } });
    assert.equal(exp.secretScopes.k8s?.KUBERNETES_HOST, 'https://10.0.0.1');
    assert.ok(exp.secrets.includes('https://10.0.0.1'), 'a secret given with --var is masked too');
  });

  it('refuses unused configuration entries without a value, and one whose value is not of its type, each at its entry', () => {
    const text = `title: t
configuration:
  replicas: { type: env, key: FM_F1_REPLICAS, env_var_type: int }
  port: { type: env, key: FM_F1_PORT, env_var_type: int }
  fallback: { type: env, key: FM_F1_FALLBACK, default: x, env_var_type: int }
method:
  - { type: action, name: a, provider: { type: python, module: os, func: getcwd } }
`;
    assert.deepEqual(issuesOf(text, { env: { FM_F1_PORT: 'eighty' } }), [
      ':3:3 configuration.replicas: environment variable FM_F1_REPLICAS is not set and the entry has no default',
      ':4:3 configuration.port: environment variable FM_F1_PORT is "eighty", not an integer (env_var_type: int)',
      ':5:3 configuration.fallback: the entry\'s default is "x", not an integer (env_var_type: int)',
    ]);
  });

  it('refuses each entry without a value inside a mapping of secrets, at its own path', () => {
    const text = `title: t
secrets:
  db:
    creds: { user: { type: env, key: FM_F1_USER }, password: { type: env, key: FM_F1_PASSWORD }, host: db.local }
method:
  - { type: action, name: a, provider: { type: python, module: os, func: getcwd }, secrets: [db] }
`;
    assert.deepEqual(issuesOf(text, { env: { FM_F1_PASSWORD: 'hunter2' } }), [':4:14 secrets.db.creds.user: environment variable FM_F1_USER is not set and the entry has no default']);
  });

  it('gives a scope its own secret when the configuration declares the same name, and masks it', () => {
    const text = `title: t
configuration:
  token: config-token
secrets:
  api:
    token: { type: env, key: FM_F1_TOKEN }
method:
  - { type: action, name: a, provider: { type: python, module: os, func: getcwd }, secrets: [api] }
`;
    const exp = loadExperiment(dir.file('shadow.yaml', text), { env: { FM_F1_TOKEN: 'api-token' } });
    assert.deepEqual(exp.secretScopes, { api: { token: 'api-token' } });
    assert.equal(exp.configuration.token, 'config-token');
    assert.ok(exp.secrets.includes('api-token'), 'the scope\'s own secret is masked');
  });
});
