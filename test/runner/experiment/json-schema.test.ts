import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { CANARY_SCHEMA_FILE, canaryJsonSchema } from '../../../runner/canary/canary-json-schema.js';
import { experimentJsonSchema, SCHEMA_FILE } from '../../../runner/experiment/json-schema.js';

const file = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
const examples = ['payments-abort.yaml', 'catalog-latency.yaml', 'payments-region-outage.yaml', 'canary-payments-v2-chaos.yaml'].map((f) => file(`../../../experiments/${f}`));
const ctk = ['service-health.json', 'json-api.yaml', 'with-secrets.yaml'].map((f) => file(`../../fixtures/ctk/${f}`));

describe('the published JSON Schema', () => {
  const published = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(published);

  it('is the one the zod schema generates (run `npm run schema` after changing the format)', () => {
    assert.deepEqual(published, experimentJsonSchema());
  });

  for (const path of [...examples, ...ctk]) {
    it(`accepts ${path.split('/').slice(-2).join('/')}`, () => {
      const ok = validate(parse(readFileSync(path, 'utf8')));
      assert.ok(ok, JSON.stringify(validate.errors, null, 1));
    });
  }

  it('refuses an unknown provider field and a missing method', () => {
    assert.equal(validate({ title: 't' }), false);
    assert.equal(validate({ title: 't', method: [{ type: 'action', name: 'a', provider: { type: 'http', url: 'http://x', verify: false } }] }), false);
  });
});

describe('the published canary JSON Schema', () => {
  const published = JSON.parse(readFileSync(CANARY_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(published);
  const valid = { name: 'c', service: 'catalog', stable: { version: 'v1' }, canary: { version: 'v2' }, steps: [10, 50], interval: '5s' };

  it('is the one the zod schema generates (run `npm run schema` after changing the format)', () => {
    assert.deepEqual(published, canaryJsonSchema());
  });

  for (const name of ['canary-catalog-v2.yaml', 'canary-payments-v2.yaml']) {
    it(`accepts experiments/${name}`, () => {
      const ok = validate(parse(readFileSync(file(`../../../experiments/${name}`), 'utf8')));
      assert.ok(ok, JSON.stringify(validate.errors, null, 1));
    });
  }

  it('accepts stepWeight and maxWeight, gates without admin, and ${name} where the loader substitutes it', () => {
    const gate = { type: 'probe', name: 'm', tolerance: { type: 'threshold', min: 0.99 }, provider: { type: 'metric', destination: 'checkout', measure: 'success-ratio' } };
    const ok = validate({ ...valid, steps: { stepWeight: 10, maxWeight: 50 }, admins: '${proxies}', load: { proxy: '${ingress}', rate: '${rate}' }, analysis: { probes: [gate] } });
    assert.ok(ok, JSON.stringify(validate.errors, null, 1));
  });

  it('refuses an unknown field, a missing service, empty labels and ${name} in the steps', () => {
    assert.equal(validate(valid), true);
    assert.equal(validate({ ...valid, weights: [1] }), false);
    const { service: _service, ...noService } = valid;
    assert.equal(validate(noService), false);
    assert.equal(validate({ ...valid, stable: {} }), false);
    assert.equal(validate({ ...valid, steps: '${steps}' }), false);
  });
});
