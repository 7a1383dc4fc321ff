import { loadIdentityFiles } from '../../proxy/identity/cert-files.js';
import { IdentityError } from '../../proxy/identity/identity-error.js';
import { checkTrustDomain, DEFAULT_TRUST_DOMAIN } from '../../proxy/identity/spiffe.js';
import { UsageError } from '../exit.js';
export const tlsFlags = {
    cert: { type: 'string', requiresArg: true, describe: "this sidecar's certificate (PEM: the leaf, then any intermediates), as `faultmesh ca issue` writes cert.pem; with --key and --ca, calls to tls: mutual services go over mTLS; reread on SIGHUP" },
    key: { type: 'string', requiresArg: true, describe: "the certificate's private key (PEM, unencrypted; key.pem)" },
    ca: { type: 'string', requiresArg: true, describe: "the mesh's trust bundle (ca.pem): peers' certificates must chain to it" },
    'trust-domain': { type: 'string', requiresArg: true, default: DEFAULT_TRUST_DOMAIN, describe: 'the SPIFFE trust domain of the mesh identities (spiffe://<trust-domain>/service/<name>)' },
};
const FILE_FLAGS = ['cert', 'key', 'ca'];
/**
 * The proxy's service and identity from its flags. The certificate names the
 * service: it must be --service's when both are given, and is the sidecar's
 * service when --service is not. Throws UsageError naming the flag (and the
 * file, for a file that cannot be used).
 *
 * @example identityFlags({ cert: 'tls/cert.pem', key: 'tls/key.pem', ca: 'tls/ca.pem', 'trust-domain': 'faultmesh.local' }, undefined)
 * // { service: 'checkout', identity: { kind: 'files', cert: 'tls/cert.pem', ... } }
 */
export function identityFlags(args, service) {
    let trustDomain;
    try {
        trustDomain = checkTrustDomain(args['trust-domain']);
    }
    catch (err) {
        throw new UsageError(`--trust-domain: ${err.message}`);
    }
    const missing = FILE_FLAGS.filter((f) => args[f] === undefined);
    if (missing.length === FILE_FLAGS.length)
        return { service, identity: undefined };
    if (missing.length > 0)
        throw new UsageError(`--cert, --key and --ca go together: give ${missing.map((f) => `--${f}`).join(' and ')} too`);
    const paths = { cert: args.cert, key: args.key, ca: args.ca };
    let named;
    try {
        named = loadIdentityFiles(paths, { trustDomain }).service;
    }
    catch (err) {
        if (!(err instanceof IdentityError))
            throw err;
        const flag = FILE_FLAGS.find((f) => paths[f] === err.file);
        throw new UsageError(flag ? `--${flag} ${err.message}` : err.message);
    }
    if (service !== undefined && service !== named)
        throw new UsageError(`--cert is for service ${named}, --service says ${service}`);
    return { service: service ?? named, identity: { kind: 'files', ...paths, trustDomain } };
}
//# sourceMappingURL=proxy-tls-flags.js.map