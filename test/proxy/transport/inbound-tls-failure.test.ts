import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INBOUND_TLS_FAILURE_REASONS, tlsFailureReason } from '../../../proxy/transport/inbound-tls-failure.js';

describe('the reason of a refused inbound TLS client', () => {
  const cases: Array<[string | undefined, string | undefined, string]> = [
    ['ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE', undefined, 'no_certificate'],
    ['ECONNRESET', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unknown_ca'],
    ['ECONNRESET', 'SELF_SIGNED_CERT_IN_CHAIN', 'unknown_ca'],
    ['ECONNRESET', 'CERT_HAS_EXPIRED', 'expired'],
    ['ECONNRESET', 'CERT_NOT_YET_VALID', 'bad_certificate'],
    ['ERR_SSL_BAD_CERTIFICATE', undefined, 'bad_certificate'],
    ['ERR_SSL_UNSUPPORTED_PROTOCOL', undefined, 'other'],
    ['ECONNRESET', undefined, 'other'],
    [undefined, undefined, 'other'],
  ];
  for (const [code, verify, reason] of cases) {
    it(`is ${reason} for ${code ?? 'no code'}${verify ? ` with ${verify}` : ''}`, () => {
      assert.equal(tlsFailureReason({ code }, verify), reason);
    });
  }

  it('is always one of the few the metric takes', () => {
    for (const [code, verify] of cases) assert.ok((INBOUND_TLS_FAILURE_REASONS as readonly string[]).includes(tlsFailureReason({ code }, verify)));
  });
});
