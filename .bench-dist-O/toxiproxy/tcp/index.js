export { TOXIC_TYPES, toxicAttributes } from './attributes.js';
export { ToxicError, TcpProxyError } from './errors.js';
export { TcpProxy } from './tcp-proxy.js';
export { formatEndpoint, parseEndpoint } from './address.js';
export { LINK_HIGH_WATER } from './link.js';
//# sourceMappingURL=index.js.map