import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CertificateAuthority } from '../../control/ca/authority.js';
import { startControlPlane, type ControlPlaneOptions, type RunningControlPlane } from '../../control/control-plane.js';
import { MemoryStore } from '../../control/store/memory/memory-store.js';
import { realTimers } from '../../proxy/core/timers.js';
import { fakeTimers, type FakeTimers } from '../helpers/fake-timers.js';
import { send, type Reply } from '../helpers/http-client.js';
import { privateScalarOf, scratchDir } from './ca/test-pki.js';

export const CONTROL_TOKEN = 'control-secret-token';

export interface CaControl {
  readonly url: string;
  /** The fake clock of the control plane and its CA (with `realClock`, one that is never advanced). */
  readonly clock: FakeTimers;
  readonly plane: RunningControlPlane;
  readonly store: MemoryStore;
  readonly ca: CertificateAuthority | undefined;
  /** Every line the control plane logged. */
  readonly logs: string[];
  /** The part of the CA's private key that shows only if the key leaked ('' without a CA). */
  readonly caKeySecret: string;
  /** Every answer's body, for checks that something never appeared in one. */
  readonly answers: string[];
  call(method: string, path: string, body?: unknown, bearer?: string): Promise<Reply>;
  /** Creates a join token for `services` with the control token; returns {id, token}. */
  token(services: string[], ttl?: string): Promise<{ id: string; token: string }>;
  stop(): Promise<void>;
}

/**
 * A control plane on a loopback port with a memory store, a CA in a fresh
 * directory (unless `withCa: false`), one fake clock for both (or the real
 * one, for certificates a real TLS handshake accepts), and its log lines captured.
 */
export async function startCaControl(options: { withCa?: boolean; certTtlMs?: number; realClock?: boolean; extra?: Partial<ControlPlaneOptions> } = {}): Promise<CaControl> {
  const clock = fakeTimers();
  const dir = scratchDir();
  const timers = options.realClock ? realTimers : clock;
  const store = new MemoryStore({ timers });
  const ca = options.withCa === false ? undefined : await CertificateAuthority.openOrInit(join(dir.path, 'ca'), { now: () => new Date(timers.now()) });
  const logs: string[] = [];
  const answers: string[] = [];
  const plane = await startControlPlane({ listen: { host: '127.0.0.1', port: 0 }, store, timers, token: CONTROL_TOKEN, ca, certTtlMs: options.certTtlMs, log: (line) => logs.push(line), ...options.extra });
  const call = async (method: string, path: string, body?: unknown, bearer = CONTROL_TOKEN) => {
    const reply = await send(plane.url, {
      method,
      path,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    answers.push(reply.text());
    return reply;
  };
  return {
    url: plane.url,
    clock,
    plane,
    store,
    ca,
    logs,
    answers,
    caKeySecret: ca ? privateScalarOf(readFileSync(join(ca.dir, 'ca.key'), 'utf8')) : '',
    call,
    async token(services, ttl) {
      const r = await call('POST', '/v1/join-tokens', { services, ...(ttl ? { ttl } : {}) });
      if (r.status !== 201) throw new Error(`token create answered ${r.status}: ${r.text()}`);
      return r.json<{ id: string; token: string }>();
    },
    async stop() {
      await plane.close();
      await store.close();
      dir.remove();
    },
  };
}
