import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { describe, it } from 'node:test';
import { createCsr, generateIdentityKey } from '../../../proxy/identity/keys.js';
import { x509 } from '../../../proxy/identity/x509.js';

describe('identity keys and certificate requests', () => {
  it('generates a P-256 key that node:crypto reads as PKCS#8 PEM', async () => {
    const key = await generateIdentityKey();
    assert.match(key.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    const parsed = createPrivateKey(key.privateKeyPem);
    assert.equal(parsed.asymmetricKeyType, 'ec');
    assert.equal(parsed.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  });

  it("makes a CSR signed by the key, naming the service's SPIFFE ID", async () => {
    const key = await generateIdentityKey();
    const csr = new x509.Pkcs10CertificateRequest(await createCsr(key.cryptoKeyPair, 'payments', 'faultmesh.local'));
    assert.equal(await csr.verify(), true);
    assert.equal(csr.subject, 'CN=payments');
    const san = csr.getExtension('2.5.29.17');
    assert.ok(san);
    assert.deepEqual(new x509.SubjectAlternativeNameExtension(san.rawData).names.toJSON(), [{ type: 'url', value: 'spiffe://faultmesh.local/service/payments' }]);
  });

  it('refuses to make a CSR for a name that is no service', async () => {
    const key = await generateIdentityKey();
    await assert.rejects(createCsr(key.cryptoKeyPair, 'not a service', 'faultmesh.local'), (err: unknown) => (err as { code?: string }).code === 'SERVICE_INVALID');
  });
});
