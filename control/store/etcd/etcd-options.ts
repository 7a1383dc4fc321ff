import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { IOptions } from 'etcd3';
import { BrokenCircuitError, ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleWhen, noop, retry } from 'cockatiel';
import { GRPCUnavailableError, isRecoverableError } from 'etcd3';
import { quietIpServername } from './ip-servername.js';
import { unreadableReason } from '../../../proxy/config/text-file.js';

/** `faultmesh control --store etcd://…` and the flags beside it. */
export interface EtcdSettings {
  /** host:port of each member, as given. */
  readonly endpoints: readonly string[];
  /** Every key goes under it (`/faultmesh/<mesh>/`), so several meshes can share one etcd. */
  readonly prefix: string;
  readonly tls?: { readonly ca: string; readonly cert?: string | undefined; readonly key?: string | undefined } | undefined;
  readonly auth?: { readonly username: string; readonly password: string } | undefined;
  /** Longest a single call may take before it counts as etcd unreachable (default 3 s). */
  readonly callTimeoutMs?: number | undefined;
}

export const DEFAULT_ETCD_PREFIX = '/faultmesh/';
/** gRPC pings on a connection with a stream open, and how long one may go unanswered before the connection counts as dead. */
export const KEEPALIVE_MS = 6_000;
export const KEEPALIVE_TIMEOUT_MS = 3_000;

/** A user's mistake in --store or an --etcd-* flag, named by the flag. */
export class EtcdSettingsError extends Error {
  override readonly name = 'EtcdSettingsError';
}

/**
 * Reads `etcd://host:port[,host:port...]`. Ports are required: a default
 * would hide a typo, and etcd's client port (2379) and peer port (2380)
 * are easy to swap.
 */
export function parseEtcdUrl(text: string): string[] {
  const m = /^etcd:\/\/(.+)$/.exec(text.trim());
  if (!m) throw new EtcdSettingsError(`--store: "${text}" is neither "memory" nor etcd://host:port[,host:port...]`);
  return m[1]!.split(',').map((part) => {
    const endpoint = part.trim();
    const hp = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(endpoint);
    if (!hp || Number(hp[2]) < 1 || Number(hp[2]) > 65535) throw new EtcdSettingsError(`--store: "${endpoint}" is not host:port (each member of etcd://host:port,host:port needs its client port, usually 2379)`);
    return endpoint;
  });
}

/** The prefix with exactly one trailing slash; it must start with one too, as etcd's tools expect. */
export function checkEtcdPrefix(prefix: string): string {
  if (!prefix.startsWith('/')) throw new EtcdSettingsError(`--etcd-prefix: "${prefix}" must start with "/" (for example /faultmesh/payments/)`);
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/**
 * Reads a PEM file and parses it as what its flag names: a file that is not
 * one fails here, in one line naming the flag, not later as a multi-line TLS
 * error on the first connection.
 */
function readPem(flag: string, file: string, kind: 'certificate' | 'private key'): Buffer {
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (err) {
    throw new EtcdSettingsError(`${flag}: ${file}: ${unreadableReason(err)}`);
  }
  try {
    if (kind === 'certificate') new X509Certificate(pem);
    else createPrivateKey(pem);
  } catch {
    throw new EtcdSettingsError(`${flag}: ${file} is not a PEM ${kind}${kind === 'private key' ? ' (or it is encrypted: give it unencrypted)' : ''}`);
  }
  return pem;
}

/** The TLS files, read and checked; see quietIpServername for the one warning an IP endpoint brings. */
function credentialsOf(s: EtcdSettings, tls: NonNullable<EtcdSettings['tls']>): IOptions['credentials'] {
  const credentials = {
    rootCertificate: readPem('--etcd-ca', tls.ca, 'certificate'),
    ...(tls.cert ? { certChain: readPem('--etcd-cert', tls.cert, 'certificate') } : {}),
    ...(tls.key ? { privateKey: readPem('--etcd-key', tls.key, 'private key') } : {}),
  };
  if (s.endpoints.some((e) => isIP(e.replace(/:\d+$/, '').replace(/^\[|\]$/g, '')) !== 0)) quietIpServername();
  return credentials;
}

/** What the client tries again, on another member: etcd3's recoverable errors, and every member's breaker being open. */
export const retriable = (err: Error): boolean => isRecoverableError(err) || err instanceof BrokenCircuitError;

/**
 * Whether a failed call says its member cannot be reached (connection
 * refused or reset, no connection): only that opens the member's breaker.
 * A live member's own answers (etcd's "request timed out", a deadline while
 * the cluster elects a new leader) say nothing against it: counting them
 * opened every member's breaker at once when the leader died, and every
 * call then failed for 2 s, with the leader already replaced.
 */
export function unreachable(err: Error): boolean {
  return err instanceof GRPCUnavailableError && !err.message.includes('etcdserver:');
}

/**
 * The client options. Fault handling is ours, not the library's defaults:
 * a call is retried on another member (a member found unreachable is
 * skipped for 2 s by its breaker), and a lost watch reconnects within 2 s
 * instead of backing off to 30 s, because proxies wait on it.
 */
export function clientOptions(s: EtcdSettings): IOptions {
  const scheme = s.tls ? 'https' : 'http';
  const timeout = s.callTimeoutMs ?? 3_000;
  const host = () => (s.endpoints.length > 1 ? circuitBreaker(handleWhen(unreachable), { halfOpenAfter: 2_000, breaker: new ConsecutiveBreaker(2) }) : noop);
  return {
    hosts: s.endpoints.map((e) => `${scheme}://${e}`),
    dialTimeout: timeout,
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + timeout }),
    // A connection that goes silent without a reset (a member's host gone, a firewall dropping the flow) is found only by
    // pinging it: else the watch waits on it for good while new calls, on a new connection, succeed, and the replica
    // looks healthy but sees no change. etcd refuses pings closer than 5 s (--grpc-keepalive-min-time), and only
    // allows them while a stream is open.
    // A member that comes back is dialled again within a second: gRPC's own reconnect back-off grows to two minutes, and
    // meanwhile its calls fail as unreachable, open its breaker, and leave fewer members to fail over to.
    grpcOptions: {
      'grpc.keepalive_time_ms': KEEPALIVE_MS,
      'grpc.keepalive_timeout_ms': KEEPALIVE_TIMEOUT_MS,
      'grpc.keepalive_permit_without_calls': 0,
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 1_000,
    },
    faultHandling: {
      host,
      // Every member's breaker open at once (one dead, one just back) is a moment, not an outage: retried past the breakers' 2 s.
      global: retry(handleWhen(retriable), { maxAttempts: s.endpoints.length > 1 ? s.endpoints.length * 3 : 2, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 600 }) }),
      // etcd3 types this as a backoff instance but calls it as cockatiel 3's factory (next() without context), as its own default does.
      watchBackoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2_000 }) as unknown as NonNullable<NonNullable<IOptions['faultHandling']>['watchBackoff']>,
    },
    ...(s.tls ? { credentials: credentialsOf(s, s.tls) } : {}),
    ...(s.auth ? { auth: { username: s.auth.username, password: s.auth.password } } : {}),
  };
}
