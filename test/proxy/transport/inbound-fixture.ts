/**
 * An inbound sidecar in front of an echo app, on loopback ports the OS
 * picks, with certificates from a throwaway mesh CA, and the callers the
 * tests need: node:https with a client certificate (or none), and raw
 * plaintext.
 */
import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server as HttpServer } from 'node:http';
import { Agent, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import pino from 'pino';
import { CertificateAuthority, type IssuedIdentity } from '../../../control/ca/authority.js';
import { compileAuthorization, type Authorizer } from '../../../proxy/authz/policy.js';
import type { AuthorizationConfig } from '../../../proxy/config/mesh-schema.js';
import type { ListenerLimits } from '../../../proxy/http/proxy-server.js';
import { createUndiciForwarder } from '../../../proxy/forward/undici-forwarder.js';
import { IdentityHolder, type Identity } from '../../../proxy/identity/identity-holder.js';
import { checkServerIdentityFor } from '../../../proxy/identity/peer.js';
import { createMetrics, type Metrics } from '../../../proxy/telemetry/metrics.js';
import { createInboundServer, type InboundMode, type InboundServer } from '../../../proxy/transport/inbound-server.js';
import { scratchDir } from '../../control/ca/test-pki.js';

export const TD = 'faultmesh.local';

/** An identity as the holder takes it, from what the CA issued. */
export function identityOf(issued: IssuedIdentity, extraTrust = ''): Identity {
  const service = /\/service\/([^/]+)$/.exec(issued.spiffeId)![1]!;
  return { certPem: issued.certificatePem + issued.chainPem, keyPem: issued.privateKeyPem, caPem: issued.trustBundlePem + extraTrust, service, trustDomain: TD, spiffeId: issued.spiffeId, notAfter: issued.notAfter };
}

/** What the echo app saw of one request. */
export interface Seen {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The serial of the certificate the sidecar presented (upper-case hex, as node:tls gives it). */
  readonly serverSerial: string;
}

export interface InboundFixture {
  readonly ca: CertificateAuthority;
  readonly holder: IdentityHolder;
  readonly inbound: InboundServer;
  readonly port: number;
  readonly metrics: Metrics;
  /** Requests the app received, in order. */
  readonly seen: Seen[];
  /** Access-log lines, parsed. */
  readonly logLines: Array<Record<string, unknown>>;
  /** Stops the app (its port then refuses connections). */
  stopApp(): Promise<void>;
  /** Requests to /slow the app holds unanswered until `releaseHeld()`. */
  held(): number;
  releaseHeld(): void;
  /** Replaces the policy of the sidecar's service (undefined: the mesh does not list it). */
  setPolicy(config: AuthorizationConfig | undefined): void;
  /** An https call with `client`'s certificate (none when undefined) on a fresh connection unless an agent is given. */
  call(client: IssuedIdentity | undefined, path?: string, options?: { headers?: Record<string, string>; agent?: Agent }): Promise<Reply>;
  metricsText(): Promise<string>;
  close(): Promise<void>;
}

export interface FixtureOptions {
  readonly mode?: InboundMode;
  /** More roots the sidecar trusts besides its CA's (a second root whose leaves name no mesh service). */
  readonly extraTrust?: string;
  /** How long the app may take to answer (default 5 s). */
  readonly timeoutMs?: number;
  readonly limits?: ListenerLimits;
}

/** Starts the app and a `payments` inbound sidecar in front of it. */
export async function startInbound(ca: CertificateAuthority, options: FixtureOptions = {}): Promise<InboundFixture> {
  const seen: Seen[] = [];
  const held: Array<() => void> = [];
  const app: HttpServer = createHttpServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    res.setHeader('content-type', 'application/json');
    const answer = () => res.end(JSON.stringify({ source: req.headers['x-faultmesh-source'] ?? null, peer: req.headers['x-faultmesh-peer'] ?? null }));
    if (req.url === '/slow') held.push(answer);
    else answer();
  });
  app.listen(0, '127.0.0.1');
  await once(app, 'listening');
  const appPort = (app.address() as AddressInfo).port;

  const holder = new IdentityHolder(identityOf(await ca.issue({ service: 'payments' }), options.extraTrust));
  const metrics = createMetrics({ activeFaults: () => 0, inFlight: () => 0, instances: () => [] });
  const logLines: Array<Record<string, unknown>> = [];
  const log = pino({ base: null }, { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) }).child({ direction: 'inbound' });
  let authorizer: Authorizer | undefined;
  const forwarder = createUndiciForwarder();
  const inbound = createInboundServer({
    options: { listen: { host: '127.0.0.1', port: 0 }, app: { host: '127.0.0.1', port: appPort }, mode: options.mode ?? 'mutual' },
    service: 'payments',
    identity: holder,
    trustDomain: TD,
    authorizer: () => authorizer,
    metrics,
    log,
    forwarder,
    timeoutMs: options.timeoutMs ?? 5_000,
    limits: options.limits,
  });
  const { port } = await inbound.listen();
  return {
    ca,
    holder,
    inbound,
    port,
    metrics,
    seen,
    logLines,
    held: () => held.length,
    stopApp: async () => {
      app.closeAllConnections();
      await new Promise((resolve) => app.close(resolve));
    },
    releaseHeld: () => {
      for (const answer of held.splice(0)) answer();
    },
    setPolicy: (config) => (authorizer = config && compileAuthorization(config)),
    call: (client, path = '/api/charge', opts = {}) => httpsCall(port, ca.trustBundlePem, client, path, opts),
    metricsText: () => metrics.registry.metrics(),
    async close() {
      await inbound.shutdown(0);
      await forwarder.close();
      app.closeAllConnections();
      if (app.listening) await new Promise((resolve) => app.close(resolve));
    },
  };
}

/** One https GET to the sidecar, verifying it is `payments`. Rejects on a TLS or connection failure. */
export function httpsCall(port: number, trust: string, client: IssuedIdentity | undefined, path: string, opts: { headers?: Record<string, string>; agent?: Agent }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        headers: opts.headers,
        ca: trust,
        ...(client ? { cert: client.certificatePem + client.chainPem, key: client.privateKeyPem } : {}),
        minVersion: 'TLSv1.3',
        checkServerIdentity: checkServerIdentityFor('payments', TD),
        agent: opts.agent ?? false,
      },
      (res) => {
        const serverSerial = (res.socket as TLSSocket).getPeerCertificate().serialNumber;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body, serverSerial }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A mesh CA and a second, unrelated one, in a scratch directory; `remove()` in `after`. */
export async function twoCas(): Promise<{ ca: CertificateAuthority; other: CertificateAuthority; remove(): void }> {
  const tmp = scratchDir();
  const ca = await CertificateAuthority.init(tmp.sub('ca'));
  const other = await CertificateAuthority.init(tmp.sub('other'));
  return { ca, other, remove: tmp.remove };
}
