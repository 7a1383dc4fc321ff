/**
 * Certificates made directly with the library, for what the mesh CA never
 * makes itself: a team's own root and the intermediate it signs, an
 * unrelated CA, a leaf without a SPIFFE identity.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentityKey } from '../../../proxy/identity/keys.js';
import { SIGNING_ALGORITHM, x509 } from '../../../proxy/identity/x509.js';

const DAY = 86_400_000;

export interface TestCert {
  readonly cert: x509.X509Certificate;
  readonly pem: string;
  readonly keyPem: string;
  readonly keys: CryptoKeyPair;
}

/** A fresh temporary directory; `remove()` in `after`. */
export function scratchDir(): { path: string; sub(name: string): string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'faultmesh-ca-test-'));
  return { path, sub: (name) => join(path, name), remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A self-signed root CA named `cn`. */
export async function makeRoot(cn: string, days = 3650): Promise<TestCert> {
  const { privateKeyPem, cryptoKeyPair } = await generateIdentityKey();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${cn}`,
    keys: cryptoKeyPair,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + days * DAY),
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 2, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(cryptoKeyPair.publicKey),
    ],
  });
  return { cert, pem: `${cert.toString('pem')}\n`, keyPem: privateKeyPem, keys: cryptoKeyPair };
}

/** A certificate named `cn`, signed by `issuer`: a CA when `ca`, else a leaf with the given URI SANs. */
export async function makeSigned(issuer: TestCert, cn: string, options: { ca?: boolean; uris?: string[]; days?: number } = {}): Promise<TestCert> {
  const { privateKeyPem, cryptoKeyPair } = await generateIdentityKey();
  const extensions: x509.Extension[] = options.ca
    ? [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)]
    : [new x509.BasicConstraintsExtension(false, undefined, true), new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth])];
  if (options.uris) extensions.push(new x509.SubjectAlternativeNameExtension(options.uris.map((value) => ({ type: 'url' as const, value }))));
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(cryptoKeyPair.publicKey));
  const issuerSki = issuer.cert.getExtension(x509.SubjectKeyIdentifierExtension);
  if (issuerSki) extensions.push(new x509.AuthorityKeyIdentifierExtension(issuerSki.keyId));
  const cert = await x509.X509CertificateGenerator.create({
    subject: `CN=${cn}`,
    issuer: issuer.cert.subjectName,
    publicKey: cryptoKeyPair.publicKey,
    signingKey: issuer.keys.privateKey,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + (options.days ?? 365) * DAY),
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions,
  });
  return { cert, pem: `${cert.toString('pem')}\n`, keyPem: privateKeyPem, keys: cryptoKeyPair };
}

/** The base64 body of a PEM: what would show if any part of a key leaked into text. */
export const pemBody = (pem: string): string => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

/**
 * The base64 of a P-256 PKCS#8 key's private scalar: its first 48 characters
 * are a header every such key shares, and its end holds the public key that
 * certificates carry too, so only this part proves a private key leaked.
 */
export const privateScalarOf = (pem: string): string => pemBody(pem).slice(48, 90);

/** A CA directory set up by hand, as a team with its own root would: the key 0600 unless `keyMode` says otherwise. */
export function writeDir(dir: string, files: Record<string, string>, keyMode = 0o600): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text);
    chmodSync(join(dir, name), name === 'ca.key' ? keyMode : 0o644); // writeFileSync's mode applies only to a new file
  }
}
