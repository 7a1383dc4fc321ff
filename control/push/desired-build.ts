import { createHash } from 'node:crypto';
import { StoreError, type KeyValue, type Store } from '../store/store.js';
import type { FaultValue, HaltValue, Keys, MeshValue, OverrideValue, RegistrationValue } from '../keys.js';

/** A leased thing as the control plane holds it: when its lease ends, on the control plane's clock. */
export interface Leased {
  /** The store key that holds it, attached to `lease`. */
  readonly key: string;
  readonly lease: string | undefined;
  endsAt: number;
}

export interface DesiredFault extends Leased {
  readonly id: string;
  readonly value: FaultValue;
  /** The revision that put it: a proxy that applied this version or later holds it. */
  readonly modRevision: number;
}

export interface DesiredOverride extends Leased {
  readonly value: OverrideValue;
}

export interface DesiredRegistration {
  readonly value: RegistrationValue;
  readonly lease: string | undefined;
}

/** The desired state at one store revision, as every proxy should have it. */
export interface Desired {
  readonly version: number;
  /** When this version was built: how long a proxy has been behind is counted from it. */
  readonly builtAt: number;
  readonly mesh: (MeshValue & { readonly version: number }) | null;
  readonly registrations: readonly DesiredRegistration[];
  readonly faults: readonly DesiredFault[];
  readonly halt: HaltValue | undefined;
  readonly overrides: readonly DesiredOverride[];
  /** A hash of what proxies are sent (leases aside): two replicas that agree on it hold the same state. */
  readonly digest: string;
}

/** The latest desired write among `items`: what a version stands for, whichever later bookkeeping the list also saw. */
export const newestChange = (items: readonly KeyValue[], isDesired: (key: string) => boolean): number => {
  let newest = 0;
  for (const kv of items) if (isDesired(kv.key) && kv.modRevision > newest) newest = kv.modRevision;
  return newest;
};

/**
 * When each lease ends: its remainder as the store says, never past a
 * deadline the control plane recorded for it (replica/lease-deadlines.ts:
 * etcd gives a lease its whole ttl again after a restart or a new leader,
 * which would revive a fault its holder stopped renewing). One read per
 * lease: a run's faults share its lease, and on etcd each read is a round
 * trip.
 */
export async function readEnds(store: Store, items: readonly Leased[], now: () => number, deadlines?: ReadonlyMap<string, number>): Promise<void> {
  const reads = new Map<string, Promise<number | undefined>>();
  await Promise.all(
    items.map(async (l) => {
      if (l.lease === undefined) return;
      let read = reads.get(l.lease);
      if (!read) reads.set(l.lease, (read = store.leaseTtl(l.lease).then((ttl) => (ttl === undefined ? confirmEnded(store, l) : ttl))));
      const ttl = await read;
      l.endsAt = ttl === undefined ? 0 : Math.min(now() + ttl, deadlines?.get(l.lease) ?? Infinity);
    }),
  );
}

/**
 * A lease the store says it does not know while a key attached to it is
 * still there: etcd ends a lease and deletes its keys in one step, so that
 * answer came from a member behind the others (a new leader that has not
 * applied the grant yet answers "not found"). Taken as ended, the fault
 * would be left out of a version that no later change corrects; the read
 * fails instead, and the build is tried again.
 */
async function confirmEnded(store: Store, l: Leased): Promise<undefined> {
  const kv = await store.get(l.key);
  if (kv !== undefined && kv.lease === l.lease) throw new StoreError('UNAVAILABLE', `the store said lease ${l.lease} of ${l.key} is gone, but the key is still attached to it: a member behind the others answered; reading again`);
  return undefined;
}

/** Builds the desired state from the store's keys, labelled `version`. */
export async function buildDesired(items: readonly KeyValue[], version: number, keys: Keys, store: Store, now: () => number, deadlines?: ReadonlyMap<string, number>): Promise<Desired> {
  const k = keys;
  let mesh: Desired['mesh'] = null;
  let halt: HaltValue | undefined;
  const registrations: DesiredRegistration[] = [];
  const faults: DesiredFault[] = [];
  const overrides: DesiredOverride[] = [];
  for (const kv of items) {
    if (kv.key === k.mesh) mesh = { ...(kv.value as MeshValue), version: kv.modRevision };
    else if (kv.key === k.halt) halt = kv.value as HaltValue;
    else if (kv.key.startsWith(k.registrations)) registrations.push({ value: kv.value as RegistrationValue, lease: kv.lease });
    else if (kv.key.startsWith(k.faults)) faults.push({ key: kv.key, id: kv.key.slice(k.faults.length), value: kv.value as FaultValue, modRevision: kv.modRevision, lease: kv.lease, endsAt: Infinity });
    else if (kv.key.startsWith(k.overrides)) overrides.push({ key: kv.key, value: kv.value as OverrideValue, lease: kv.lease, endsAt: Infinity });
  }
  await readEnds(store, [...faults, ...overrides], now, deadlines);
  // A lease that ended between the list and its read: its delete is on its way, and it is not pushed meanwhile.
  const live = <T extends Leased>(l: T) => l.endsAt > 0 && l.endsAt > now();
  const state = { mesh, registrations, faults: faults.filter(live), halt, overrides: overrides.filter(live) };
  return { version, builtAt: now(), ...state, digest: digestOf(state) };
}

function digestOf(d: Pick<Desired, 'mesh' | 'registrations' | 'faults' | 'halt' | 'overrides'>): string {
  const content = {
    mesh: d.mesh && [d.mesh.text, d.mesh.file],
    registrations: d.registrations.map((r) => r.value),
    faults: d.faults.map((f) => [f.id, f.value.spec]),
    halted: d.halt !== undefined,
    overrides: d.overrides.map((o) => [o.value.service, o.value.route, o.value.to]),
  };
  return createHash('sha256').update(JSON.stringify(content)).digest('base64url').slice(0, 22);
}
