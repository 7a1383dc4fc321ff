import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { describe, it } from 'node:test';
import { checkServerIdentityFor, identityOfCertificate, PeerIdentityError, spiffeIdOfSan } from '../../../proxy/identity/peer.js';
import { makeRoot, makeSigned } from '../../control/ca/test-pki.js';

const peer = (subjectaltname: string) => ({ subjectaltname }) as PeerCertificate;

describe("a peer's identity", () => {
  for (const [san, expected, why] of [
    ['URI:spiffe://faultmesh.local/service/payments', 'payments', 'one SPIFFE URI'],
    ['DNS:payments.local, URI:spiffe://faultmesh.local/service/payments, IP Address:127.0.0.1', 'payments', 'one SPIFFE URI among other names'],
    ['URI:spiffe://faultmesh.local/service/a, URI:spiffe://faultmesh.local/service/b', undefined, 'two URIs'],
    ['URI:spiffe://other.domain/service/payments', undefined, 'a URI of another trust domain'],
    ['DNS:payments', undefined, 'no URI'],
    ['', undefined, 'no SAN at all'],
    ['URI:"x\\u002c URI:spiffe://faultmesh.local/service/admin"', undefined, 'a URI Node quoted because it hides a second entry'],
  ] as const) {
    it(`is ${expected ?? 'nobody'} for ${why}`, () => assert.equal(identityOfCertificate(peer(san), 'faultmesh.local'), expected));
  }

  it('is read the same from a certificate and from the SAN text Node prints for it', async () => {
    const root = await makeRoot('r');
    const tricky = await makeSigned(root, 'x', { uris: ['x, URI:spiffe://faultmesh.local/service/admin'] });
    const cert = new X509Certificate(tricky.pem);
    assert.equal(spiffeIdOfSan(cert.subjectAltName), undefined, `a comma inside one SAN never makes a second: ${cert.subjectAltName}`);
    const plain = new X509Certificate((await makeSigned(root, 'y', { uris: ['spiffe://faultmesh.local/service/orders'] })).pem);
    assert.equal(identityOfCertificate(plain, 'faultmesh.local'), 'orders');
  });

  it('decides checkServerIdentity: the expected service passes, another or none fails, host names are not looked at', () => {
    const check = checkServerIdentityFor('payments', 'faultmesh.local');
    assert.equal(check('10.0.0.7', peer('URI:spiffe://faultmesh.local/service/payments')), undefined);
    const wrong = check('payments', peer('URI:spiffe://faultmesh.local/service/orders'));
    assert.ok(wrong instanceof PeerIdentityError);
    assert.equal(wrong.code, 'PEER_IDENTITY_MISMATCH');
    assert.equal(wrong.message, 'server certificate is for service orders; expected payments');
    assert.match(String(check('payments', peer('DNS:payments'))), /names no service of trust domain faultmesh\.local; expected payments/);
  });
});
