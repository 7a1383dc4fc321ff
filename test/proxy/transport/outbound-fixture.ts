/**
 * The far side of outbound mTLS tests: plain node:https servers that demand
 * a client certificate from the mesh CA (as an inbound sidecar will), and
 * identity files as `faultmesh ca issue` writes them.
 */
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { CertificateAuthority, IssuedIdentity } from '../../../control/ca/authority.js';
import { identityOfPeer } from '../../../proxy/identity/peer.js';

export const TD = 'faultmesh.local';

/** What an upstream tells its caller: who it saw, over what, and with which headers. */
export interface SeenByUpstream {
  readonly peer: string | null;
  readonly serial: string;
  readonly protocol: string | null;
  readonly resumed: boolean;
  readonly source: string | null;
}

export interface MtlsUpstream {
  readonly server: Server;
  readonly port: number;
  /** TCP connections accepted, handshaken or not. */
  readonly connections: () => number;
  /** Handshakes the server completed. */
  readonly handshakes: () => number;
  close(): Promise<void>;
}

/**
 * An https server presenting `identity`, requiring a client certificate that
 * chains to `trustPem`. It answers JSON (SeenByUpstream); `/close` answers
 * with `connection: close`, so the caller's pool must open a new connection next.
 */
export async function startMtlsUpstream(identity: IssuedIdentity, trustPem: string): Promise<MtlsUpstream> {
  let connections = 0;
  let handshakes = 0;
  const server = createServer(
    { cert: identity.certificatePem + identity.chainPem, key: identity.privateKeyPem, ca: trustPem, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.3' },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const seen: SeenByUpstream = {
        peer: identityOfPeer(socket, TD) ?? null,
        serial: socket.getPeerCertificate().serialNumber,
        protocol: socket.getProtocol(),
        resumed: socket.isSessionReused(),
        source: (req.headers['x-faultmesh-source'] as string | undefined) ?? null,
      };
      if (req.url?.split('?')[0] === '/close') res.setHeader('connection', 'close');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(seen));
    },
  );
  server.on('connection', () => connections++);
  server.on('secureConnection', () => handshakes++);
  // A refused client is expected in these tests; without a listener the server would log it.
  server.on('tlsClientError', () => {});
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    server,
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    handshakes: () => handshakes,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Writes `identity` as cert.pem, key.pem and ca.pem under `dir` (what `ca issue --out dir` does); the paths. */
export function writeIdentity(dir: string, identity: IssuedIdentity): { cert: string; key: string; ca: string } {
  const paths = { cert: `${dir}/cert.pem`, key: `${dir}/key.pem`, ca: `${dir}/ca.pem` };
  writeFileSync(paths.cert, identity.certificatePem + identity.chainPem);
  writeFileSync(paths.key, identity.privateKeyPem, { mode: 0o600 });
  writeFileSync(paths.ca, identity.trustBundlePem);
  return paths;
}

/** Issues identities for `services` from `ca`, in order. */
export async function issueAll(ca: CertificateAuthority, services: readonly string[]): Promise<IssuedIdentity[]> {
  const out: IssuedIdentity[] = [];
  for (const service of services) out.push(await ca.issue({ service }));
  return out;
}

/** Serial numbers as node:tls prints them (upper-case hex) and as the CA returns them (lower-case). */
export const sameSerial = (a: string, b: string): boolean => a.toLowerCase().replace(/^0+/, '') === b.toLowerCase().replace(/^0+/, '');
