import type { Address, InstanceConfig } from '../config/mesh-schema.js';

/** Live counters of one instance; the only mutable part of an endpoint. */
export interface EndpointLoad {
  /** Requests forwarded and not yet answered (least-request reads this). */
  active: number;
  requests: number;
  failures: number;
}

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
}

export function toEndpoint(service: string, inst: InstanceConfig, load?: EndpointLoad): Endpoint {
  return {
    service,
    id: inst.id,
    address: inst.address.text,
    region: inst.region,
    zone: inst.zone,
    labels: inst.labels,
    target: toTarget(inst.address),
    load: load ?? { active: 0, requests: 0, failures: 0 },
  };
}

function toTarget(address: Address): ProxyTarget {
  return { protocol: 'http:', host: address.host, hostname: address.host, port: address.port, path: '' };
}
