/**
 * Where the demo shop runs: its control plane, its proxies, and the
 * instances of each service. The mesh file (experiments/mesh.yaml) holds
 * only policies and routes: on a control plane, instances come and go by
 * registering, so the demo registers these through their sidecars. Every
 * instance is reached over mTLS at an inbound listener of its service's
 * sidecar, which passes the calls on to the app over loopback.
 */
/** The control plane every proxy connects to. */
export const CONTROL_PORT = 15100;
/** The proxies of the shop: an ingress for outside traffic, and one sidecar per service. */
export const PROXIES = [
    { name: 'ingress', listen: 15001, admin: 15000 },
    { name: 'frontend', listen: 15011, admin: 15010 },
    { name: 'catalog', listen: 15021, admin: 15020 },
    { name: 'checkout', listen: 15031, admin: 15030 },
    { name: 'payments', listen: 15041, admin: 15040 },
];
/** Each instance's inbound listener is its app's port + 1000 (18111 → 19111), so the two are easy to pair up. */
const INBOUND_OFFSET = 1000;
const at = (service, id, port, region, zone, version = 'v1') => ({ service, id, host: '127.0.0.1', port, inboundPort: port + INBOUND_OFFSET, region, zone, version });
/**
 * Two regions, four zones: what the experiments aim at (acme's eu-west
 * payments, catalog-eu-1, the whole of eu-west). catalog-v2 and payments-v2
 * are the new releases the demo's canaries judge; the mesh gives them
 * weight 0, so they get traffic only while a canary runs.
 */
export const INSTANCES = [
    at('frontend', 'frontend-eu-1', 18081, 'eu-west', 'eu-west-1a'),
    at('frontend', 'frontend-us-1', 18082, 'us-east', 'us-east-1a'),
    at('catalog', 'catalog-eu-1', 18091, 'eu-west', 'eu-west-1a'),
    at('catalog', 'catalog-eu-2', 18092, 'eu-west', 'eu-west-1b'),
    at('catalog', 'catalog-us-1', 18093, 'us-east', 'us-east-1a'),
    at('catalog', 'catalog-v2', 18094, 'eu-west', 'eu-west-1a', 'v2'),
    at('checkout', 'checkout-eu-1', 18101, 'eu-west', 'eu-west-1a'),
    at('checkout', 'checkout-us-1', 18102, 'us-east', 'us-east-1a'),
    at('payments', 'payments-eu-1', 18111, 'eu-west', 'eu-west-1a'),
    at('payments', 'payments-eu-2', 18112, 'eu-west', 'eu-west-1b'),
    at('payments', 'payments-us-1', 18113, 'us-east', 'us-east-1a'),
    at('payments', 'payments-us-2', 18114, 'us-east', 'us-east-1b'),
    at('payments', 'payments-v2', 18115, 'eu-west', 'eu-west-1a', 'v2'),
];
/**
 * How long each registration's lease lasts. A stopped instance leaves every
 * proxy's table within it; renewals come every third of it, so a sidecar
 * busy for over 3 s on a loaded machine would let a live instance lapse.
 */
export const REGISTER_TTL = '5s';
//# sourceMappingURL=topology.js.map