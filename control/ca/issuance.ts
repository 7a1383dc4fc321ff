/**
 * The control plane's CA at work: a join token in, a certificate for
 * exactly the service asked for out, when the token allows that service.
 * The proxy's key never comes here (it sends a CSR), and neither the CA's
 * key nor the token's secret reaches a log line or an answer: the log
 * names the token by its id.
 */
import type { CertificateAuthority } from './authority.js';
import { CaError } from './ca-error.js';
import { allowsService, type JoinTokens, type TokenRefusalCode } from './join-tokens.js';

export type IssuanceErrorCode = TokenRefusalCode | 'SERVICE_NOT_ALLOWED' | 'CSR_INVALID' | 'CA_EXPIRED';

const STATUS: Record<IssuanceErrorCode, number> = {
  TOKEN_UNKNOWN: 401,
  TOKEN_REVOKED: 401,
  TOKEN_EXPIRED: 401,
  SERVICE_NOT_ALLOWED: 403,
  CSR_INVALID: 400,
  // The CA's own certificate ran out: nothing the proxy can change, and every replica with this CA says the same.
  CA_EXPIRED: 503,
};

/** A refused certificate request, with the HTTP status it is answered with. */
export class IssuanceError extends Error {
  override readonly name = 'IssuanceError';
  readonly status: number;
  constructor(
    readonly code: IssuanceErrorCode,
    message: string,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

/** What POST /v1/certificates answers. */
export interface IssuedCertificate {
  /** The leaf, PEM. */
  readonly certificate: string;
  /** Intermediates to send after the leaf ('' when the CA is the root). */
  readonly chain: string;
  /** The root(s) peers are verified against. */
  readonly trustBundle: string;
  readonly spiffeId: string;
  readonly notAfter: string;
  readonly serial: string;
}

export interface IssuanceDeps {
  readonly ca: CertificateAuthority;
  readonly tokens: JoinTokens;
  /** Lifetime of each certificate (--cert-ttl). */
  readonly certTtlMs: number;
  readonly log: (line: string) => void;
  readonly onIssued?: (service: string) => void;
  readonly onRefused?: (code: IssuanceErrorCode) => void;
}

export interface CertificateRequest {
  /** The join token as presented (Authorization: Bearer). */
  readonly bearer: string;
  readonly service: string;
  readonly csr: string;
}

/**
 * Signs `request.csr` for `request.service` if the token allows it.
 * Throws IssuanceError; the CA signs for the service named here, whatever
 * the CSR itself asks for.
 *
 * @example await issueCertificate(deps, { bearer: 'fmjt.…', service: 'orders', csr }) // { certificate, chain, trustBundle, notAfter, serial, spiffeId }
 */
export async function issueCertificate(deps: IssuanceDeps, request: CertificateRequest): Promise<IssuedCertificate> {
  try {
    return await issue(deps, request);
  } catch (err) {
    if (err instanceof IssuanceError) {
      deps.onRefused?.(err.code);
      deps.log(`refused a certificate for service ${request.service}: ${err.message}`);
    }
    throw err;
  }
}

async function issue(deps: IssuanceDeps, request: CertificateRequest): Promise<IssuedCertificate> {
  const check = await deps.tokens.check(request.bearer);
  if (!check.ok) throw new IssuanceError(check.code, check.message);
  const { token } = check;
  if (!allowsService(token, request.service)) {
    throw new IssuanceError('SERVICE_NOT_ALLOWED', `join token ${token.id} may be issued certificates for ${token.services.join(', ')}, not for ${request.service}`);
  }
  let signed;
  try {
    signed = await deps.ca.sign(request.csr, { service: request.service, ttlMs: deps.certTtlMs });
  } catch (err) {
    if (err instanceof CaError && err.code === 'CSR_INVALID') throw new IssuanceError('CSR_INVALID', err.message);
    if (err instanceof CaError && err.code === 'CA_EXPIRED') throw new IssuanceError('CA_EXPIRED', err.message);
    throw err;
  }
  const notAfter = signed.notAfter.toISOString();
  deps.onIssued?.(request.service);
  deps.log(`issued a certificate for service ${request.service} (serial ${signed.serial}, join token ${token.id}, valid until ${notAfter})`);
  return { certificate: signed.certificatePem, chain: signed.chainPem, trustBundle: signed.trustBundlePem, spiffeId: signed.spiffeId, notAfter, serial: signed.serial };
}
