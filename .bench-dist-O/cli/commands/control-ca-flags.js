/**
 * `faultmesh control --ca-dir DIR [--trust-domain D] [--cert-ttl 24h]`: the
 * control plane as the mesh's CA. The CA modules load the X.509 library, so
 * they are imported only when --ca-dir is given.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CaError } from '../../control/ca/ca-error.js';
import { readCaDir } from '../../control/ca/ca-dir.js';
import { DEFAULT_LEAF_TTL_MS, MAX_LEAF_TTL_MS } from '../../control/ca/leaf-limits.js';
import { checkDuration, formatDuration } from '../../proxy/config/duration.js';
import { IdentityError } from '../../proxy/identity/identity-error.js';
import { checkTrustDomain } from '../../proxy/identity/spiffe.js';
import { UsageError } from '../exit.js';
export const CA_FLAG_HELP = {
    'ca-dir': 'the mesh CA: a directory holding one (ca.key, ca.crt, trust.pem), or where to create a root on first start; every replica is given the same one',
    'trust-domain': "the CA's SPIFFE trust domain, for a new root (default faultmesh.local); an existing CA must be of it",
    'cert-ttl': `lifetime of each certificate issued to a proxy (default ${formatDuration(DEFAULT_LEAF_TTL_MS)}, at most ${formatDuration(MAX_LEAF_TTL_MS)}); proxies renew at two thirds of it`,
};
/** The CA flags, checked; the directory itself is read by `openCa`. */
export function caSettingsOf(args) {
    const dir = args['ca-dir'];
    if (dir === undefined) {
        const stray = ['trust-domain', 'cert-ttl'].find((f) => args[f] !== undefined);
        if (stray)
            throw new UsageError(`--${stray} is for the control plane's CA: give --ca-dir DIR too`);
        return undefined;
    }
    if (dir.trim() === '')
        throw new UsageError('--ca-dir: give a directory');
    let trustDomain;
    try {
        trustDomain = args['trust-domain'] === undefined ? undefined : checkTrustDomain(args['trust-domain']);
    }
    catch (err) {
        throw new UsageError(`--trust-domain: ${err.message}`);
    }
    const ttl = checkDuration(args['cert-ttl'] ?? formatDuration(DEFAULT_LEAF_TTL_MS), MAX_LEAF_TTL_MS);
    if (!ttl.ok)
        throw new UsageError(`--cert-ttl: ${ttl.message}`);
    if (ttl.ms < 1000)
        throw new UsageError(`--cert-ttl: ${args['cert-ttl']} is shorter than the 1s a certificate needs to be of use`);
    return { dir, trustDomain, certTtlMs: ttl.ms };
}
/** A CA or identity error is the user's directory or flag: one line, exit 2. */
function asUsage(err) {
    if (err instanceof CaError || err instanceof IdentityError)
        throw new UsageError(`--ca-dir: ${err.message}`);
    throw err;
}
/** How long a replica waits for the root another replica is writing into the shared directory. */
const RACE_WAIT_MS = 2_000;
/**
 * The CA of a start: loaded, or created as a new root when DIR holds none.
 * Replicas given one shared DIR may start together on an empty one: one
 * creates the root (the files are linked in, never overwritten), and the
 * others load what it wrote.
 */
export async function openCa(settings) {
    try {
        const { CertificateAuthority } = await import('../../control/ca/authority.js');
        const options = { trustDomain: settings.trustDomain };
        try {
            return await CertificateAuthority.openOrInit(settings.dir, options);
        }
        catch (err) {
            if (!(err instanceof CaError && err.code === 'CA_EXISTS'))
                throw err;
            for (const deadline = Date.now() + RACE_WAIT_MS;;) {
                try {
                    return await CertificateAuthority.load(settings.dir, options);
                }
                catch (e) {
                    // Its files arrive one by one: a partial directory is the other replica still writing.
                    if (!(e instanceof CaError && e.code === 'CA_DIR_PARTIAL') || Date.now() > deadline)
                        throw e;
                    await new Promise((resolve) => setTimeout(resolve, 50));
                }
            }
        }
    }
    catch (err) {
        return asUsage(err);
    }
}
/**
 * What --check does with --ca-dir: the start's checks without its side
 * effect. A CA there is loaded and checked whole; for none, the directory
 * (or the nearest existing parent) must be one this process can write a
 * root into.
 */
export async function checkCa(settings) {
    let held;
    try {
        held = readCaDir(settings.dir);
    }
    catch (err) {
        asUsage(err);
    }
    if (held !== undefined) {
        await openCa(settings);
        return;
    }
    let at = resolve(settings.dir);
    while (!existsSync(at))
        at = dirname(at);
    try {
        if (!statSync(at).isDirectory())
            throw new UsageError(`--ca-dir: ${at} is not a directory`);
        accessSync(at, constants.W_OK);
    }
    catch (err) {
        if (err instanceof UsageError)
            throw err;
        throw new UsageError(`--ca-dir: ${settings.dir}: holds no CA, and a root cannot be created in ${at}: ${err.code ?? err.message}`);
    }
}
//# sourceMappingURL=control-ca-flags.js.map