import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { FaultRuleSpec } from '../faults/fault-rule-schema.js';
import type { RuleCounters } from '../faults/compiled-rule.js';
import type { RouteOverride } from '../routing/route-overrides.js';
import type { MeshSnapshot } from '../sources/mesh-source.js';
import type { DataPlaneOptions } from '../data-plane.js';
import type { Identity } from '../identity/identity-holder.js';

/**
 * What goes between a cluster primary and its workers (`--workers N`), both
 * ways, as discriminated unions. Messages travel with Node's "advanced"
 * serialization (structured clone), so parsed specs and meshes arrive as the
 * primary built them, `undefined` and `Infinity` included.
 */

/** One fault rule as every worker must hold it: the primary's parsed spec and its lease end, on the shared clock. */
export interface RuleState {
  readonly id: string;
  readonly spec: FaultRuleSpec;
  readonly expiresAt: number;
}

/**
 * Everything that changes traffic, versioned by the primary. A worker
 * replaces its whole fault index and its overrides with each one; the mesh
 * travels only when it changed since the previous state (always in `start`).
 */
export interface ClusterState {
  readonly version: number;
  readonly rules: readonly RuleState[];
  readonly halted: boolean;
  /** Route overrides put on the primary's admin API (file mode), each ending at `endsAt` on the shared clock. */
  readonly overrides: readonly RouteOverride[];
  /** Absent: the mesh did not change. null: the primary has no mesh yet, for the reason given. */
  readonly mesh?: MeshSnapshot | null;
  /** Why the proxy cannot route, while it has no mesh (what callers get with 503 NOT_READY). */
  readonly notReady?: string | undefined;
}

/** An instance one worker's outlier detection ejected, for every other worker to eject until the same clock time. */
export interface Ejection {
  readonly service: string;
  readonly instance: string;
  readonly address: string;
  readonly until: number;
  /** The ejecting worker's count, so the next ejection's doubling agrees everywhere. */
  readonly ejections: number;
}

/** Counts one worker holds per rule id (GET /v1/faults shows their sums). */
export type RuleCounts = Readonly<Record<string, Readonly<RuleCounters>>>;

/** The data-plane options a worker runs with: only what structured clone can carry. */
export type WorkerSettings = DataPlaneOptions;

export type ToWorker =
  /** The first message, answering `hello`: the worker applies `state` (and the live ejections), then listens. */
  | { readonly type: 'start'; readonly index: number; readonly settings: WorkerSettings; readonly state: ClusterState; readonly ejections: readonly Ejection[]; readonly identity?: Identity | undefined }
  /**
   * The primary's identity, at start and after each change (a SIGHUP reload, a
   * renewal): every worker presents the certificate the primary holds. Its key
   * crosses this channel only, between processes of one proxy on one host.
   */
  | { readonly type: 'identity'; readonly identity: Identity }
  | { readonly type: 'state'; readonly state: ClusterState }
  | { readonly type: 'eject'; readonly ejection: Ejection }
  /** Asks for the per-rule counts and the requests in flight. */
  | { readonly type: 'collect'; readonly id: number }
  /** Asks for the registry as prom-client's getMetricsAsJSON gives it, for AggregatorRegistry.aggregate. */
  | { readonly type: 'metrics'; readonly id: number }
  /** Stop accepting, drain in-flight requests for up to `drainMs`, answer `drained`, exit 0. */
  | { readonly type: 'shutdown'; readonly drainMs: number };

export type FromWorker =
  /** Sent once the worker listens for messages: the primary answers with `start`. */
  | { readonly type: 'hello' }
  | { readonly type: 'listening'; readonly host: string; readonly port: number; readonly version: number }
  | { readonly type: 'applied'; readonly version: number }
  /** The worker could not start (listen refused, a state it cannot build); it exits after this. */
  | { readonly type: 'failed'; readonly code: string | undefined; readonly message: string }
  | { readonly type: 'ejected'; readonly ejection: Ejection }
  | { readonly type: 'collected'; readonly id: number; readonly inFlight: number; readonly counts: RuleCounts }
  | { readonly type: 'metrics'; readonly id: number; readonly metrics: ReadonlyArray<MetricObjectWithValues<MetricValue<string>>> }
  | { readonly type: 'drained'; readonly drained: boolean; readonly cut: number };

const TO_WORKER = new Set<string>(['start', 'state', 'eject', 'collect', 'metrics', 'shutdown', 'identity']);
const FROM_WORKER = new Set<string>(['hello', 'listening', 'applied', 'failed', 'ejected', 'collected', 'metrics', 'drained']);

/** Whether `m` is one of ours; other libraries (prom-client's own cluster listener, say) share the channel. */
export const isToWorker = (m: unknown): m is ToWorker => typeof m === 'object' && m !== null && TO_WORKER.has((m as { type?: string }).type ?? '');
export const isFromWorker = (m: unknown): m is FromWorker => typeof m === 'object' && m !== null && FROM_WORKER.has((m as { type?: string }).type ?? '');
