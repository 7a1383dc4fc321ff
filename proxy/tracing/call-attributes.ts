import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_NETWORK_PEER_ADDRESS,
  ATTR_NETWORK_PEER_PORT,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_URL_FULL,
} from '@opentelemetry/semantic-conventions';
import type { Call } from '../http/call.js';

// A call's span in OpenTelemetry's stable HTTP client conventions, plus
// faultmesh's own `faultmesh.*`: what the mesh decided (service, route,
// subset, instance and its place) and did (faults, retries, ejections).

/** What is known when the call arrives. The path goes without its query (as in the access log): queries carry ids and secrets. */
export function startAttributes(call: Call): Attributes {
  const a: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: call.method,
    [ATTR_URL_FULL]: `http://${call.destination}${call.path}`,
    [ATTR_SERVER_ADDRESS]: call.destination,
    [ATTR_NETWORK_PROTOCOL_VERSION]: call.req.httpVersion,
    'faultmesh.source': call.source,
  };
  // Most calls' request id is their trace id; one the caller chose is worth searching by.
  if (call.trace.requestId !== call.trace.traceId) a['faultmesh.request_id'] = call.trace.requestId;
  return a;
}

/** What the call came to, read when its response is over (`status` 0: none was sent). */
export function endAttributes(call: Call, status: number, subset: string | undefined): Attributes {
  const a: Attributes = {};
  if (status > 0) a[ATTR_HTTP_RESPONSE_STATUS_CODE] = status;
  if (call.retries > 0) a[ATTR_HTTP_REQUEST_RESEND_COUNT] = call.retries;
  if (call.service) a['faultmesh.destination'] = call.service.name;
  const e = call.endpoint;
  if (e) {
    a['faultmesh.instance'] = e.id;
    if (e.region !== undefined) a['faultmesh.region'] = e.region;
    if (e.zone !== undefined) a['faultmesh.zone'] = e.zone;
    a[ATTR_NETWORK_PEER_ADDRESS] = e.target.hostname;
    a[ATTR_NETWORK_PEER_PORT] = e.target.port;
  }
  if (call.route !== undefined) a['faultmesh.route'] = call.route;
  if (subset !== undefined) a['faultmesh.subset'] = subset;
  if (call.classification) a['faultmesh.outcome'] = call.classification.kind;
  if (call.fault) {
    a['faultmesh.fault.rule'] = call.fault.rule;
    a['faultmesh.fault.kinds'] = [...call.fault.kinds];
  }
  if (call.flags.length > 0) a['faultmesh.flags'] = [...call.flags];
  const error = errorTypeOf(call, status);
  if (error !== undefined) a[ATTR_ERROR_TYPE] = error;
  return a;
}

/**
 * The span's `error.type`, undefined for a call that went well: the code of
 * an answer the proxy made itself (UPSTREAM_TIMEOUT, FAULT_ABORT…), the
 * status of a 4xx or 5xx (the convention for client spans), or why no
 * answer came (FAULT_RESET, CLIENT_ABORTED…).
 */
export function errorTypeOf(call: Call, status: number): string | undefined {
  if (call.error) return call.error.code;
  if (status >= 400) return String(status);
  if (status === 0) return call.flags[0] ?? 'NO_RESPONSE';
  if (call.flags.includes('BODY_INTERRUPTED')) return 'BODY_INTERRUPTED';
  return undefined;
}
