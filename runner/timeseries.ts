// What a run's sampler records of the mesh (runner/sampler.ts), for reports' charts: part of the journal.

/** The mesh, as sampled every second during the run: per destination, from the proxies' own metrics. */
export interface MetricPoint {
  /** When the sample was read: the end of the interval it covers. */
  readonly t: string;
  /** The start of that interval, the previous read (new: older journals' points cover the `intervalMs` before `t`). */
  readonly from?: string;
  /** Requests per second since the last sample. */
  readonly rate: number;
  /** null when no request was made since the last sample. */
  readonly errorRatio: number | null;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  /** What the mesh did in the interval (new): each a count, not a rate, as the proxies counted it. */
  readonly activity?: MeshActivity;
}

/** Counts of one destination's calls in one sampling interval, summed over the proxies sampled. */
export interface MeshActivity {
  /** Calls answered (`faultmesh_requests_total`), and those the caller saw end in a 5xx or no answer. */
  readonly requests: number;
  readonly errors: number;
  /** Retries made, by the `retryOn` reason that caused them (`faultmesh_retries_total`). */
  readonly retries: Readonly<Record<string, number>>;
  /** Attempts a fault shaped, by fault kind (`faultmesh_faults_injected_total`): a retried call can be hit more than once. */
  readonly faulted: Readonly<Record<string, number>>;
  /** Calls by the instance that answered their last attempt (`instance` of `faultmesh_requests_total`; `none` when no instance was chosen). */
  readonly instances: Readonly<Record<string, number>>;
}

/** An outlier ejection a proxy counted (`faultmesh_outlier_ejections_total`), between two samples. */
export interface EjectionMark {
  /** The sample that saw it: it happened between `from` and `at`. */
  readonly at: string;
  readonly from: string;
  readonly destination: string;
  readonly instance: string;
  /** consecutive-5xx, consecutive-gateway-errors, slow or probation (ejected again on its first call back). */
  readonly reason: string;
  /** The proxy that ejected it: its id behind a control plane, else its admin URL. */
  readonly by: string;
}

/** Where a proxy (or an instance) sits, as it registered. */
export interface Place {
  readonly service?: string;
  readonly region?: string;
  readonly zone?: string;
}

/** Who an admin URL of the run is, as its /healthz (and a control plane's /v1/status) said: reports name proxies, not ports. */
export interface ProxyName extends Place {
  readonly url: string;
  readonly role: 'proxy' | 'control';
  /** A control plane's proxies, by id. */
  readonly proxies?: ReadonlyArray<Place & { readonly id: string }>;
}

export interface Timeseries {
  intervalMs: number;
  admins: string[];
  destinations: Record<string, MetricPoint[]>;
  /** Outlier ejections seen while sampling (new). */
  ejections?: EjectionMark[];
  /** The admins' names and places (new). */
  names?: ProxyName[];
  /** Each destination's instances by id, with their region and zone (new), so traffic can be shown per place. */
  places?: Record<string, Record<string, Place>>;
}
