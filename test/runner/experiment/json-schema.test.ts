import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { experimentJsonSchema, SCHEMA_FILE } from '../../../runner/experiment/json-schema.js';

const file = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
const examples = ['payments-abort.yaml', 'catalog-latency.yaml', 'payments-region-outage.yaml'].map((f) => file(`../../../experiments/${f}`));
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
