import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IdentityError } from '../../../proxy/identity/identity-error.js';
import { checkTrustDomain, parseSpiffeId, spiffeId } from '../../../proxy/identity/spiffe.js';

describe('SPIFFE IDs of services', () => {
  it('names a service in a trust domain, and reads the name back', () => {
    const id = spiffeId('faultmesh.local', 'payments');
    assert.equal(id, 'spiffe://faultmesh.local/service/payments');
    assert.deepEqual(parseSpiffeId(id), { trustDomain: 'faultmesh.local', service: 'payments' });
  });

  for (const [uri, why] of [
    ['https://faultmesh.local/service/payments', 'another scheme'],
    ['spiffe://faultmesh.local/ns/default/sa/payments', 'another path shape'],
    ['spiffe://faultmesh.local/service/', 'no service'],
    ['spiffe://faultmesh.local/service/pay/ments', 'a nested path'],
    ['spiffe://faultmesh.local/service/Payments', 'an upper-case service'],
    ['spiffe://faultmesh.local/service/payments?x=1', 'a query'],
    ['spiffe://faultmesh.local/service/payments#x', 'a fragment'],
    ['spiffe://faultmesh.local:8443/service/payments', 'a port'],
    ['spiffe://user@faultmesh.local/service/payments', 'user info'],
    ['spiffe://Faultmesh.local/service/payments', 'an upper-case trust domain'],
    ['spiffe:///service/payments', 'no trust domain'],
    ['spiffe://faultmesh.local/service/payments"', 'a quote Node would add around an odd SAN'],
  ] as const) {
    it(`reads no identity from a URI with ${why}`, () => assert.equal(parseSpiffeId(uri), undefined));
  }

  for (const [domain, why] of [
    ['', 'empty'],
    ['Prod.example', 'upper case'],
    ['a..b', 'an empty label'],
    ['.a', 'a leading dot'],
    ['a/b', 'a slash'],
    ['a'.repeat(256), 'too long'],
  ] as const) {
    it(`refuses a trust domain that is ${why}`, () => {
      assert.throws(() => checkTrustDomain(domain), (err: unknown) => err instanceof IdentityError && err.code === 'TRUST_DOMAIN_INVALID');
    });
  }

  it('accepts DNS-like trust domains and refuses to build an ID for a bad service name', () => {
    assert.equal(checkTrustDomain('shop-prod.example_1.internal'), 'shop-prod.example_1.internal');
    assert.throws(() => spiffeId('faultmesh.local', 'Pay'), /service names are lower case/);
  });
});
