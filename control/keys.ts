/**
 * Where each resource lives in the store (README, "Control plane": key
 * layout). Keys are relative: a backend puts them under its own prefix
 * (`/faultmesh/` on etcd). `prefix` scopes them further, so one watch on it
 * sees every resource; empty by default.
 */
export const DEFAULT_PREFIX = '';

export interface Keys {
  readonly prefix: string;
  readonly mesh: string;
  readonly halt: string;
  readonly faults: string;
  readonly registrations: string;
  readonly overrides: string;
  /** When the store's leases began (shared stores only): /healthz startedAt. */
  readonly epoch: string;
  /** Each replica's view of the proxies connected to it, one key per replica on its own lease (shared stores only). */
  readonly replicas: string;
  replica(id: string): string;
  /** Each lease's recorded deadline, on the lease itself (shared stores only: replica/lease-deadlines.ts). */
  readonly leases: string;
  leaseDeadline(id: string): string;
  /** Join tokens the CA issues certificates against (control/ca/join-tokens.ts): the hash of each secret, never the secret. */
  readonly joinTokens: string;
  joinToken(id: string): string;
  /** Runs registered for the dashboard (control/ui/run-routes.ts), each on a lease: not desired state, so no version moves. */
  readonly runs: string;
  run(id: string): string;
  /** faultmesh toxiproxy --control: every proxy and toxic in one key, so each change is one compare-and-set (control/toxiproxy/). */
  readonly toxiproxy: string;
  readonly toxiproxySet: string;
  /** A key per leased toxic, on that toxic's lease: its delete is the event that the lease ended. */
  toxiproxyLease(id: string): string;
  fault(id: string): string;
  registration(service: string, id: string): string;
  override(service: string, route: number): string;
}

export function keysUnder(prefix = DEFAULT_PREFIX): Keys {
  return {
    prefix,
    mesh: `${prefix}mesh`,
    halt: `${prefix}halt`,
    faults: `${prefix}faults/`,
    registrations: `${prefix}registrations/`,
    overrides: `${prefix}overrides/`,
    epoch: `${prefix}epoch`,
    replicas: `${prefix}replicas/`,
    replica: (id) => `${prefix}replicas/${id}`,
    leases: `${prefix}leases/`,
    leaseDeadline: (id) => `${prefix}leases/${id}`,
    joinTokens: `${prefix}join-tokens/`,
    joinToken: (id) => `${prefix}join-tokens/${id}`,
    runs: `${prefix}runs/`,
    run: (id) => `${prefix}runs/${id}`,
    toxiproxy: `${prefix}toxiproxy/`,
    toxiproxySet: `${prefix}toxiproxy/set`,
    toxiproxyLease: (id) => `${prefix}toxiproxy/leases/${id}`,
    fault: (id) => `${prefix}faults/${id}`,
    registration: (service, id) => `${prefix}registrations/${service}/${id}`,
    override: (service, route) => `${prefix}overrides/${service}/${route}`,
  };
}

/**
 * Keys of the desired state, the ones a new version is made of. A positive
 * list: an etcd prefix that holds another mesh's prefix under it
 * (`/faultmesh/` beside `/faultmesh/shop/`) sees that mesh's keys too, and
 * they must not count as changes here.
 */
export const isDesired = (keys: Keys, key: string): boolean =>
  key === keys.mesh || key === keys.halt || key.startsWith(keys.faults) || key.startsWith(keys.registrations) || key.startsWith(keys.overrides);


/** What each key holds (the value column of the key layout). */
export interface MeshValue {
  readonly text: string;
  readonly file: string;
  readonly appliedAt: string;
}

export interface FaultValue {
  /** The rule as POST /v1/faults takes it, without ttl or lease, with its id. */
  readonly spec: Record<string, unknown> & { readonly id: string; readonly target: string };
  readonly addedAt: string;
  /** The fault has a lease of its own (from a ttl), revoked with it; false when it hangs on a run's lease. */
  readonly ownLease: boolean;
}

export interface RegistrationValue {
  readonly service: string;
  readonly id: string;
  readonly address: string;
  readonly region?: string | undefined;
  readonly zone?: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly registeredAt: string;
}

export interface HaltValue {
  readonly halted: true;
  readonly at: string;
  readonly by: string;
}

export interface Subset {
  readonly labels: Readonly<Record<string, string>>;
  readonly weight: number;
}

export interface OverrideValue {
  readonly service: string;
  readonly route: number;
  readonly to: readonly Subset[];
  /** Who set it, when they said (a run, a canary tool); absent otherwise. */
  readonly by?: string;
  readonly at: string;
  readonly ownLease: boolean;
}
