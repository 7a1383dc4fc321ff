import type { EdgeStats, SeriesFrame } from './edge-window.js';

/**
 * What the page is sent: the `state` event (desired against observed, the
 * faults, the runs) whenever it changes, and the `metrics` event after each
 * scrape. Plain data only: the page writes every value with textContent.
 */

export type Health = 'healthy' | 'ejected' | 'probation' | 'unknown';

export interface InstanceView {
  readonly id: string;
  readonly address: string;
  readonly region?: string | undefined;
  readonly zone?: string | undefined;
  readonly source: 'mesh' | 'registration';
  /** When a registration's lease ends, on the server's clock (ms). */
  readonly leaseEndsAt?: number | undefined;
  /** The worst state any proxy's outlier detection reports for it. */
  readonly health: Health;
  readonly ejectedUntil?: number | undefined;
  /** How many proxies reported on it, and how many of them see it other than healthy. */
  readonly seenBy: number;
  readonly unhealthyOn: readonly string[];
}

export interface ServiceView {
  readonly name: string;
  readonly instances: readonly InstanceView[];
}

/** Who holds a fault: its own ttl, or a lease a run holds (named when the run registered). */
export type Holder =
  | { readonly kind: 'ttl' }
  | { readonly kind: 'run'; readonly lease: string; readonly run: string; readonly runKind: RunKind }
  | { readonly kind: 'lease'; readonly lease: string };

export interface FaultView {
  readonly id: string;
  readonly target: string;
  /** The rule's match, one phrase (`customers acme; regions eu-west`), or `every request`. */
  readonly match: string;
  /** What it does (`abort 503`, `delay 300ms`). */
  readonly action: string;
  readonly percentage: number;
  readonly phase: string;
  readonly origin?: string | undefined;
  /** When its lease ends, on the server's clock. */
  readonly endsAt: number;
  readonly holder: Holder;
  /** Connected proxies that applied it, and those that have not yet. */
  readonly proxies: readonly string[];
  readonly missingOn: readonly string[];
  readonly counts: { readonly matched: number; readonly hit: number };
}

export interface ProxyView {
  readonly id: string;
  readonly service: string;
  readonly place: string;
  readonly connected: boolean;
  readonly applied: number;
  readonly behindBy: number;
  readonly halted: boolean;
  /** Why this proxy needs a look (behind, rejected, disconnected); absent when it is in step. */
  readonly problem?: string | undefined;
  readonly since?: string | undefined;
}

export type RunKind = 'experiment' | 'gameday' | 'canary';

export interface ProbeView {
  readonly name: string;
  readonly value: string;
  readonly tolerance?: string | undefined;
  readonly ok: boolean | null;
  readonly when?: string | undefined;
}

/** A run the control plane knows of: registered by its runner, or inferred from what it holds. */
export interface RunView {
  readonly key: string;
  readonly kind: RunKind | 'unregistered';
  readonly name: string;
  readonly state: 'running' | 'finished';
  readonly phase: string;
  readonly verdict?: string | undefined;
  readonly probes: readonly ProbeView[];
  readonly faults: readonly string[];
  /** A canary's split in force (`version=v1 90, version=v2 10`) and the last judgement. */
  readonly weights?: string | undefined;
  readonly judgement?: string | undefined;
  /** An http(s) URL the page links to, or a path it shows as text. */
  readonly report?: string | undefined;
  readonly startedAt?: string | undefined;
  /** `registered` (PUT /v1/runs), or what it was inferred from. */
  readonly known: 'registered' | 'override' | 'lease';
}

export interface DashboardState {
  readonly scope: 'mesh' | 'proxy';
  readonly title: string;
  /** The server's clock when this was built: lease countdowns run from it. */
  readonly now: number;
  readonly version?: number | undefined;
  readonly meshVersion?: number | undefined;
  readonly halted: boolean;
  readonly haltedBy?: string | undefined;
  /** Whether state changes need the token. */
  readonly tokenRequired: boolean;
  /** What the page may offer: a managed proxy's faults are removed on its control plane. */
  readonly actions: { readonly halt: boolean; readonly removeFault: boolean; readonly managedBy?: string | undefined };
  readonly summary: string;
  readonly discrepancies: readonly string[];
  readonly services: readonly ServiceView[];
  readonly faults: readonly FaultView[];
  readonly proxies: readonly ProxyView[];
  readonly runs: readonly RunView[];
  /** What cannot be shown, and why (a run that did not register, a proxy whose metrics did not answer). */
  readonly notes: readonly string[];
}

export interface MetricsFrame {
  readonly at: number;
  readonly windowMs: number;
  /** Fewer than two scrapes so far: no rate is known yet, and the page says "measuring…", not "0 calls". */
  readonly measuring: boolean;
  readonly edges: readonly EdgeStats[];
  readonly series: SeriesFrame;
  readonly errors: readonly string[];
}
