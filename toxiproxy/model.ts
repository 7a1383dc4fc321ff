import type { Stream, ToxicSpec, ToxicType } from './tcp/index.js';

/**
 * The plain data of the Toxiproxy-compatible server, shared by the API, the
 * registry and --config. Inputs are validated once (toxiproxy/input/) into
 * these shapes; the registry stores nothing else.
 */

/** A toxic as the registry holds it: the validated spec and, when leased, the time it ends. */
export interface ToxicState {
  readonly spec: ToxicSpec;
  /** Epoch ms at which the toxic removes itself; absent for a toxic without a ttl (Toxiproxy's only kind). */
  readonly expiresAt?: number | undefined;
}

/** A toxic as Toxiproxy's API shows it (ToxicWrapper's JSON), with faultmesh's lease after it. */
export interface ToxicView {
  readonly attributes: Readonly<Record<string, number>>;
  readonly name: string;
  readonly type: ToxicType;
  readonly stream: Stream;
  readonly toxicity: number;
  /** ISO time the lease ends; only on a toxic created or renewed with a ttl. */
  readonly expires_at?: string;
}

/** A proxy as Toxiproxy's API shows it (proxyWithToxics): listen is the bound address once started. */
export interface ProxyView {
  readonly name: string;
  readonly listen: string;
  readonly upstream: string;
  readonly enabled: boolean;
  readonly toxics: readonly ToxicView[];
  /** --control only: why this process cannot listen for the proxy, which the others may serve (a port in use on this host). */
  readonly listen_error?: string;
}

/** A toxic to create: everything checked but its attributes, which are checked against its type after the duplicate check (Toxiproxy's order). */
export interface ToxicDraft {
  readonly name: string;
  readonly type: ToxicType;
  readonly stream: Stream;
  readonly toxicity: number;
  readonly attributes: unknown;
  /** Lease length in ms; absent: the toxic stays until removed. */
  readonly ttlMs?: number | undefined;
}

/** A toxic update (PATCH or POST): given attributes are merged over the current ones, as Go decodes into the existing struct. */
export interface ToxicPatch {
  readonly attributes?: Readonly<Record<string, unknown>> | undefined;
  readonly toxicity?: number | undefined;
  /** Renews the lease: it ends ttlMs from now. */
  readonly ttlMs?: number | undefined;
}

/** A proxy to create or populate. */
export interface ProxyDraft {
  readonly name: string;
  readonly listen: string;
  readonly upstream: string;
  /** Absent in a /populate entry: a proxy that is kept keeps its state (Toxiproxy defaults it to true for a new one). */
  readonly enabled?: boolean | undefined;
  /** faultmesh's extension to /populate and --config: the proxy's toxics, in full. Absent: a kept proxy keeps its toxics. */
  readonly toxics?: readonly ToxicDraft[] | undefined;
}

/** A proxy update: absent fields keep their value. */
export interface ProxyPatch {
  readonly listen?: string | undefined;
  readonly upstream?: string | undefined;
  readonly enabled?: boolean | undefined;
}

/** Toxiproxy's default toxic name: `<type>_<stream>`, e.g. `latency_downstream`. */
export const defaultToxicName = (type: string, stream: string) => `${type}_${stream}`;

/** The toxic's JSON: Toxiproxy's fields in its order, then the lease when there is one. */
export function viewOfToxic(t: ToxicState): ToxicView {
  const { name, type, stream, toxicity, attributes } = t.spec;
  return { attributes, name, type, stream, toxicity, ...(t.expiresAt !== undefined ? { expires_at: new Date(t.expiresAt).toISOString() } : {}) };
}

/**
 * Toxics in the order Toxiproxy lists them: every upstream toxic, then every
 * downstream one, each in the order it was added (its chain order).
 */
export function inListOrder<T extends { readonly spec: ToxicSpec }>(toxics: readonly T[]): T[] {
  return [...toxics.filter((t) => t.spec.stream === 'upstream'), ...toxics.filter((t) => t.spec.stream === 'downstream')];
}
