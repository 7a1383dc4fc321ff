/**
 * What a proxy checks of the certificate the control plane's CA sends back
 * before it puts it in force: that it is for the key this proxy generated,
 * names this proxy's service in its trust domain, and chains to the trust
 * bundle sent with it. node:crypto only.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { validityOf, verifyChain } from './chain.js';
import type { Identity } from './identity-holder.js';
import { spiffeIdOfSan } from './peer.js';
import { pemBlocks } from './pem.js';

/** Why an enrollment failed. REFUSED and INVALID are final (a start exits 1); TIMEOUT is a control plane out of reach. */
export type EnrollmentErrorCode = 'ENROLLMENT_REFUSED' | 'ENROLLMENT_INVALID' | 'ENROLLMENT_TIMEOUT';

/** Messages name the control plane and the refusal, never the join token or a key. */
export class EnrollmentError extends Error {
  override readonly name = 'EnrollmentError';
  constructor(
    readonly code: EnrollmentErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** POST /v1/certificates's answer (control/ca/issuance.ts). */
export interface CertificateReply {
  readonly certificate: string;
  readonly chain: string;
  readonly trustBundle: string;
  readonly notAfter: string;
  readonly serial: string;
}

/** The identity, and when its certificate started being valid (renewals are timed from it). */
export interface IssuedIdentity {
  readonly identity: Identity;
  readonly notBefore: Date;
  readonly serial: string;
}

const invalid = (why: string) => new EnrollmentError('ENROLLMENT_INVALID', `the control plane's certificate is not usable: ${why}`);

function certificates(text: unknown, what: string): X509Certificate[] {
  if (typeof text !== 'string') throw invalid(`${what} is missing`);
  return pemBlocks(text, 'CERTIFICATE').map((pem) => {
    try {
      return new X509Certificate(pem);
    } catch {
      throw invalid(`${what} holds a PEM block that is not an X.509 certificate`);
    }
  });
}

/**
 * Checks `reply` against the key it was asked for and builds the Identity
 * node:tls will use. Throws EnrollmentError(ENROLLMENT_INVALID).
 *
 * @example identityOfReply(reply, key.privateKeyPem, { service: 'orders', trustDomain: 'faultmesh.local', now: new Date() })
 */
export function identityOfReply(reply: Partial<CertificateReply>, keyPem: string, expected: { readonly service: string; readonly trustDomain: string; readonly now: Date }): IssuedIdentity {
  const [leaf] = certificates(reply.certificate, 'certificate');
  if (!leaf) throw invalid('certificate holds no PEM certificate');
  const intermediates = certificates(reply.chain ?? '', 'chain');
  const roots = certificates(reply.trustBundle, 'trustBundle');
  if (roots.length === 0) throw invalid('trustBundle holds no certificate');
  if (!leaf.checkPrivateKey(createPrivateKey(keyPem))) throw invalid('it is not for the key this proxy sent a request for');
  const id = spiffeIdOfSan(leaf.subjectAltName);
  if (!id) throw invalid('it names no spiffe://<trust-domain>/service/<name> identity');
  if (id.trustDomain !== expected.trustDomain) {
    throw new EnrollmentError('ENROLLMENT_INVALID', `the control plane's CA is of trust domain ${id.trustDomain}, this proxy of ${expected.trustDomain}: start it with --trust-domain ${id.trustDomain}`);
  }
  if (id.service !== expected.service) throw invalid(`it is for service ${id.service}, this proxy is ${expected.service}`);
  const chain = verifyChain(leaf, intermediates, roots, expected.now);
  if (!chain.ok) throw invalid(chain.reason);
  const { notBefore, notAfter } = validityOf(leaf);
  return {
    identity: {
      certPem: [leaf, ...intermediates].map((c) => c.toString()).join(''),
      keyPem,
      caPem: roots.map((c) => c.toString()).join(''),
      service: id.service,
      trustDomain: id.trustDomain,
      spiffeId: `spiffe://${id.trustDomain}/service/${id.service}`,
      notAfter,
    },
    notBefore,
    serial: leaf.serialNumber.toLowerCase(),
  };
}
