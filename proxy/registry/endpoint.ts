import type { Address, InstanceConfig } from '../config/mesh-schema.js';

/** Live counters of one instance; the only mutable part of an endpoint. */
export interface EndpointLoad {
  /** Requests forwarded and not yet answered (least-request reads this). */
  active: number;
  requests: number;
  failures: number;
}

/**
 * What outlier detection and peak-EWMA know of one instance. Mutable, and
 * kept across reloads with the instance, like its load.
 */
export interface EndpointHealth {
  state: 'healthy' | 'ejected' | 'probation';
  /** Clock time the current ejection ends (0 when not ejected). */
  ejectedUntil: number;
  /** Ejections so far, decayed while healthy: each one doubles the next ejection time. */
  ejections: number;
  /** Clock time the instance last came back from an ejection. */
  returnedAt: number;
  consecutive5xx: number;
  consecutiveGateway: number;
  consecutiveSlow: number;
  /** Peak-sensitive moving average of time to response headers, in ms. */
  ewmaMs: number;
  /** Clock time of the last sample; -1 until the first. */
  ewmaAt: number;
}

export const newHealth = (): EndpointHealth => ({
  state: 'healthy',
  ejectedUntil: 0,
  ejections: 0,
  returnedAt: 0,
  consecutive5xx: 0,
  consecutiveGateway: 0,
  consecutiveSlow: 0,
  ewmaMs: 0,
  ewmaAt: -1,
});

/** Where http-proxy sends a request; built once per endpoint, not per request. */
export interface ProxyTarget {
  readonly protocol: 'http:';
  readonly host: string;
  readonly hostname: string;
  readonly port: number;
  readonly path: '';
}

/** One instance of a service, as the data plane sees it. */
export interface Endpoint {
  readonly service: string;
  readonly id: string;
  readonly address: string;
  readonly region: string | undefined;
  readonly zone: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly target: ProxyTarget;
  readonly load: EndpointLoad;
  readonly health: EndpointHealth;
}

/** The live parts of an endpoint, handed from the old registry to the new one on reload. */
export interface EndpointLive {
  readonly load: EndpointLoad;
  readonly health: EndpointHealth;
}

export function toEndpoint(service: string, inst: InstanceConfig, live?: EndpointLive): Endpoint {
  return {
    service,
    id: inst.id,
    address: inst.address.text,
    region: inst.region,
    zone: inst.zone,
    labels: inst.labels,
    target: toTarget(inst.address),
    load: live?.load ?? { active: 0, requests: 0, failures: 0 },
    health: live?.health ?? newHealth(),
  };
}

function toTarget(address: Address): ProxyTarget {
  return { protocol: 'http:', host: address.host, hostname: address.host, port: address.port, path: '' };
}
