import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { CertificateAuthority, type IssuedIdentity } from '../../../control/ca/authority.js';
import { checkServerIdentityFor, identityOfPeer } from '../../../proxy/identity/peer.js';
import { scratchDir } from '../../control/ca/test-pki.js';
import { waitFor } from '../../helpers/wait.js';

const TD = 'faultmesh.local';

interface Dial {
  readonly received?: string;
  readonly error?: Error;
}

/** Dials the server over TLS 1.3 and reads what it says until it closes; settles on close, whatever happened. */
function dial(port: number, client: IssuedIdentity | undefined, trust: string, expect: string): Promise<Dial> {
  return new Promise((resolve) => {
    let received = '';
    let error: Error | undefined;
    const socket = connect({
      host: '127.0.0.1',
      port,
      ca: trust,
      ...(client ? { cert: client.certificatePem + client.chainPem, key: client.privateKeyPem } : {}),
      minVersion: 'TLSv1.3',
      checkServerIdentity: checkServerIdentityFor(expect, TD),
    });
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (received += d));
    socket.on('error', (e) => (error = e));
    socket.on('close', () => resolve(error ? { error, received } : { received }));
  });
}

describe('mutual TLS with mesh identities, over a real handshake on loopback', () => {
  const tmp = scratchDir();
  let ca: CertificateAuthority;
  let server: Server;
  let port: number;
  let checkout: IssuedIdentity;
  let stranger: IssuedIdentity;
  const refusedClients: Error[] = [];

  before(async () => {
    ca = await CertificateAuthority.init(tmp.sub('ca'), {});
    const otherCa = await CertificateAuthority.init(tmp.sub('other'), {});
    const payments = await ca.issue({ service: 'payments' });
    checkout = await ca.issue({ service: 'checkout' });
    stranger = await otherCa.issue({ service: 'checkout' }); // same name, other CA
    server = createServer({ cert: payments.certificatePem + payments.chainPem, key: payments.privateKeyPem, ca: payments.trustBundlePem, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.3' }, (socket: TLSSocket) => {
      socket.end(`payments sees ${identityOfPeer(socket, TD) ?? 'nobody'}`);
    });
    server.on('tlsClientError', (err) => refusedClients.push(err));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    tmp.remove();
  });

  it('connects when the server is the service expected, and the server sees the caller', async () => {
    const r = await dial(port, checkout, ca.trustBundlePem, 'payments');
    assert.equal(r.error, undefined);
    assert.equal(r.received, 'payments sees checkout');
  });

  it('refuses a server whose certificate names another service', async () => {
    const r = await dial(port, checkout, ca.trustBundlePem, 'orders');
    assert.equal((r.error as { code?: string } | undefined)?.code, 'PEER_IDENTITY_MISMATCH');
    assert.match(r.error!.message, /server certificate is for service payments; expected orders/);
    assert.equal(r.received, '');
    // The server sees that client leave mid-handshake; waited for here so the next test counts only its own refusals.
    await waitFor(() => refusedClients.length > 0, 'the server sees the client abort');
  });

  it('is refused by the server with a client certificate from another CA, or none', async () => {
    for (const client of [stranger, undefined]) {
      const before = refusedClients.length;
      // In TLS 1.3 the client may finish its side of the handshake first: it then sees the server close, never data.
      // Node reports the server's refusal as the client's hang-up, so the test counts refusals rather than reading reasons.
      const r = await dial(port, client, ca.trustBundlePem, 'payments');
      await waitFor(() => refusedClients.length > before, 'the server refuses the client');
      assert.equal(r.received, '', 'the server never accepted the connection');
    }
  });
});
