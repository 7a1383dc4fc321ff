import type { Keys } from '../keys.js';
import type { DesiredState } from '../push/desired-state.js';
import type { ObservedProxies, ObservedProxy } from '../push/observed-proxies.js';
import type { StoreHealth } from '../replica/store-health.js';
import type { Store } from '../store/store.js';

/** What every resource's routes work on; built once in control-plane.ts. */
export interface ControlContext {
  readonly store: Store;
  readonly keys: Keys;
  /** Read for what proxies have (versions, the parsed mesh); writes go to the store, and reads that must see them do too. */
  readonly desired: DesiredState;
  readonly observed: ObservedProxies;
  /** Every proxy of the mesh: this replica's, and on a shared store those other replicas published (replica-status.ts). */
  readonly everyProxy: () => Promise<readonly ObservedProxy[]>;
  readonly now: () => number;
  /** A shared store's reachability (absent for memory, which is always there). */
  readonly health?: StoreHealth | undefined;
  /** Why this replica's proxies are not published for the other replicas (shared store). */
  readonly publishError?: (() => string | undefined) | undefined;
  /** Longest lease a fault, registration or override may ask for with a ttl. */
  readonly maxTtlMs: number;
}
