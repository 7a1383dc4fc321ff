/**
 * The TCP data path of `faultmesh toxiproxy`: listeners that forward to an
 * upstream with Toxiproxy's toxics on each stream. The API, registry,
 * config and metrics (toxiproxy/, H6) sit on top of these exports only.
 *
 * Interface as agreed in the brief, with these additions and precisions:
 * - TcpProxyOptions takes `timers` (proxy/core/timers.ts's Timers: now,
 *   setTimeout, clearTimeout) where the brief said `clock`.
 * - toxicAttributes throws ToxicError with `code` ('INVALID_TOXIC_TYPE' |
 *   'INVALID_TOXIC_ATTRIBUTE') and `attribute` (the name at fault, when
 *   one is). An update merges first: toxicAttributes(type, {...old, ...patch}).
 * - TcpProxy also has `running`, `upstream` (normalised), and
 *   `setListen(listen)`, taken at the next start. Toxiproxy restarts a
 *   proxy whose listen or upstream changes, closing its connections: do
 *   stop(); setUpstream()/setListen(); start() for that. setUpstream
 *   alone leaves open connections where they are.
 * - A stopped proxy starts again on the port it had (port 0 is chosen
 *   once), as Toxiproxy's `listen` becomes the bound address.
 * - The constructor, setUpstream and setListen throw TcpProxyError
 *   ADDRESS_INVALID on a malformed host:port; start() rejects with
 *   TcpProxyError LISTEN_FAILED (message names the proxy and address,
 *   `errno` is EADDRINUSE etc.).
 * - stats() has `connectFailures`, `bytesReceived` (read from the source)
 *   besides `bytes` (written to the destination), and per toxic
 *   `{ connections, active }`: connections it applied to since it was set,
 *   and how many of those are open. A toxic removed loses its entry.
 * - setToxics throws TypeError on duplicate names (the registry's job).
 */
export type { Random, Stream, ToxicSpec, ToxicType } from './types.js';
export { TOXIC_TYPES, toxicAttributes } from './attributes.js';
export { ToxicError, TcpProxyError, type ToxicErrorCode, type TcpProxyErrorCode } from './errors.js';
export { TcpProxy, type TcpProxyOptions, type TcpProxyStats } from './tcp-proxy.js';
export { formatEndpoint, parseEndpoint, type Endpoint } from './address.js';
export { LINK_HIGH_WATER } from './link.js';
