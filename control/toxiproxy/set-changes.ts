import { populateKeeps, servesListen } from '../../toxiproxy/input/address.js';
import { patchedSpec, specOf } from '../../toxiproxy/input/toxic-input.js';
import type { ProxyDraft, ProxyPatch, ToxicDraft, ToxicPatch } from '../../toxiproxy/model.js';
import { proxyExists, proxyNotFound, toxicExists, toxicNotFound } from '../../toxiproxy/toxiproxy-error.js';
import { byName, type StoredProxy, type StoredToxic, type ToxiproxySet } from './toxiproxy-set.js';

/**
 * Toxiproxy's changes as pure functions of the stored set, in the order of
 * checks its API has (404 proxy, 404 toxic, 409, 400 attributes), the same
 * as the local registry's. The control plane runs one inside a
 * compare-and-set loop, so a change may be computed again on a newer set;
 * it listens nowhere, so unlike the local registry none fails on a port.
 */

/** A lease granted for the change before it runs: each toxic with a ttl takes the next one. */
export interface GrantedLease {
  readonly lease: string;
  readonly expiresAt: number;
}
export type TakeLease = () => GrantedLease;

export interface Changed<T> {
  readonly set: ToxiproxySet;
  readonly answer: T;
}

/** A toxic validated (400 on bad attributes), on the next granted lease when it has a ttl. */
function stored(draft: ToxicDraft, take: TakeLease, at: readonly PropertyKey[] = []): StoredToxic {
  const spec = specOf(draft, at);
  return draft.ttlMs === undefined ? { spec } : { spec, ...take() };
}

const find = (set: ToxiproxySet, name: string): StoredProxy => set.proxies.find((p) => p.name === name) ?? throwError(proxyNotFound());
const findToxic = (p: StoredProxy, name: string): StoredToxic => p.toxics.find((t) => t.spec.name === name) ?? throwError(toxicNotFound());

/** The set with `proxy` in place of the one of its name (or added), sorted. */
const put = (set: ToxiproxySet, proxy: StoredProxy): ToxiproxySet => ({ ...set, proxies: [...set.proxies.filter((p) => p.name !== proxy.name), proxy].sort(byName) });

export function createProxy(set: ToxiproxySet, draft: ProxyDraft, take: TakeLease): Changed<StoredProxy> {
  if (set.proxies.some((p) => p.name === draft.name)) throw proxyExists(['name']);
  const proxy: StoredProxy = { name: draft.name, listen: draft.listen, upstream: draft.upstream, enabled: draft.enabled ?? true, toxics: (draft.toxics ?? []).map((t, i) => stored(t, take, ['toxics', i])) };
  return { set: put(set, proxy), answer: proxy };
}

/** Each entry kept when its listen and upstream match (its toxics replaced when it lists some, `enabled` applied when given), else replaced. */
export function populate(set: ToxiproxySet, drafts: readonly ProxyDraft[], take: TakeLease): Changed<StoredProxy[]> {
  // Every toxic is checked before any proxy is touched: a bad one changes nothing.
  const toxicsOf = drafts.map((d, i) => d.toxics?.map((t, j) => stored(t, take, [i, 'toxics', j])));
  let next = set;
  const done = drafts.map((draft, i) => {
    const existing = next.proxies.find((p) => p.name === draft.name);
    const toxics = toxicsOf[i];
    const proxy: StoredProxy =
      existing && populateKeeps(existing, draft)
        ? { ...existing, enabled: draft.enabled ?? existing.enabled, toxics: toxics ?? existing.toxics }
        : { name: draft.name, listen: draft.listen, upstream: draft.upstream, enabled: draft.enabled ?? true, toxics: toxics ?? [] };
    next = put(next, proxy);
    return proxy;
  });
  return { set: next, answer: done };
}

export function updateProxy(set: ToxiproxySet, name: string, patch: ProxyPatch): Changed<StoredProxy> {
  const p = find(set, name);
  const proxy: StoredProxy = {
    ...p,
    // Port 0 is satisfied by the address the proxy has, as in the local registry.
    listen: patch.listen !== undefined && !servesListen(p.listen, patch.listen) ? patch.listen : p.listen,
    upstream: patch.upstream ?? p.upstream,
    enabled: patch.enabled ?? p.enabled,
  };
  return { set: put(set, proxy), answer: proxy };
}

export function removeProxy(set: ToxiproxySet, name: string): Changed<void> {
  find(set, name);
  return { set: { ...set, proxies: set.proxies.filter((p) => p.name !== name) }, answer: undefined };
}

export function addToxic(set: ToxiproxySet, proxy: string, draft: ToxicDraft, take: TakeLease): Changed<StoredToxic> {
  const p = find(set, proxy);
  if (p.toxics.some((t) => t.spec.name === draft.name)) throw toxicExists(['name']);
  const toxic = stored(draft, take);
  return { set: put(set, { ...p, toxics: [...p.toxics, toxic] }), answer: toxic };
}

/** Merges attributes, sets toxicity; a ttl moves the toxic to its new lease, else it keeps its end. It keeps its place in the chain. */
export function updateToxic(set: ToxiproxySet, proxy: string, name: string, patch: ToxicPatch, take: TakeLease): Changed<StoredToxic> {
  const p = find(set, proxy);
  const current = findToxic(p, name);
  const spec = patchedSpec(current.spec, patch);
  const toxic: StoredToxic = patch.ttlMs === undefined ? { ...current, spec } : { spec, ...take() };
  return { set: put(set, { ...p, toxics: p.toxics.map((t) => (t === current ? toxic : t)) }), answer: toxic };
}

export function removeToxic(set: ToxiproxySet, proxy: string, name: string): Changed<void> {
  const p = find(set, proxy);
  const toxic = findToxic(p, name);
  return { set: put(set, { ...p, toxics: p.toxics.filter((t) => t !== toxic) }), answer: undefined };
}

/** Every proxy enabled, every toxic gone. */
export function reset(set: ToxiproxySet): Changed<void> {
  return { set: { ...set, proxies: set.proxies.map((p) => ({ ...p, enabled: true, toxics: [] })) }, answer: undefined };
}

const throwError = (err: Error): never => {
  throw err;
};
