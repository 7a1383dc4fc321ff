import { checkControlOptions, startControlPlane } from '../../control/control-plane.js';
import { checkEtcdPrefix, DEFAULT_ETCD_PREFIX, parseEtcdUrl } from '../../control/store/etcd/etcd-options.js';
import { EtcdStore } from '../../control/store/etcd/etcd-store.js';
import { isStoreError } from '../../control/store/store.js';
import { parseAdminHost, parseAdminOrigin } from '../../proxy/admin/admin-access.js';
import { checkAdminToken } from '../../proxy/admin/auth.js';
import { checkDuration } from '../../proxy/config/duration.js';
import { parseListenAddress } from '../../proxy/config/listen-address.js';
import { UsageError } from '../exit.js';
import { CA_FLAG_HELP, caSettingsOf, checkCa, openCa } from './control-ca-flags.js';
const controlOptions = (y) => y
    .option('listen', { type: 'string', default: '127.0.0.1:15100', describe: 'API address (loopback unless a token is set)' })
    .option('store', { type: 'string', default: 'memory', describe: 'where the desired state lives: memory (this process), or etcd://host:port[,host:port...] (shared by every replica)' })
    .option('data', { type: 'string', describe: 'directory where the memory store keeps the mesh across restarts (leased things never survive one)' })
    // No yargs default: a given --etcd-prefix with the memory store is refused, and only "not given" can tell them apart.
    .option('etcd-prefix', { type: 'string', describe: `every key under this prefix, e.g. /faultmesh/<mesh>/ so meshes can share one etcd [default: "${DEFAULT_ETCD_PREFIX}"]` })
    .option('etcd-ca', { type: 'string', describe: "CA certificate (PEM) of etcd's client TLS; turns TLS on" })
    .option('etcd-cert', { type: 'string', describe: 'client certificate (PEM) for etcd, with --etcd-key' })
    .option('etcd-key', { type: 'string', describe: 'client private key (PEM) for etcd, with --etcd-cert' })
    .option('etcd-user', { type: 'string', describe: 'etcd user, with --etcd-password or FAULTMESH_ETCD_PASSWORD' })
    .option('etcd-password', { type: 'string', describe: 'password of --etcd-user (prefer FAULTMESH_ETCD_PASSWORD: argv is visible to every local user)' })
    .option('token', { type: 'string', describe: 'bearer token for every state change and for proxy streams (or FAULTMESH_CONTROL_TOKEN)' })
    .option('admin-host', { type: 'string', array: true, default: [], describe: 'a Host name the API answers to besides loopback ones (name or name:port); repeatable' })
    .option('admin-origin', { type: 'string', array: true, default: [], describe: 'a web origin allowed to change state (https://ops.example); repeatable' })
    .option('max-ttl', { type: 'string', default: '1h', describe: 'longest ttl a fault, registration or override may ask for' })
    .option('ca-dir', { type: 'string', describe: CA_FLAG_HELP['ca-dir'] })
    .option('trust-domain', { type: 'string', describe: CA_FLAG_HELP['trust-domain'] })
    .option('cert-ttl', { type: 'string', describe: CA_FLAG_HELP['cert-ttl'] })
    .option('check', { type: 'boolean', default: false, describe: 'check the flags (and read the TLS files) and exit 0, without listening or connecting' });
function flag(parse) {
    try {
        return parse();
    }
    catch (err) {
        throw new UsageError(err.message);
    }
}
/** --store and the --etcd-* flags: undefined for the memory store. */
function etcdSettingsOf(args) {
    const etcdFlags = ['etcd-prefix', 'etcd-ca', 'etcd-cert', 'etcd-key', 'etcd-user', 'etcd-password'].filter((f) => args[f] !== undefined);
    if (args.store === 'memory') {
        if (etcdFlags.length)
            throw new UsageError(`--${etcdFlags[0]} needs --store etcd://host:port`);
        return undefined;
    }
    if (args.data !== undefined)
        throw new UsageError('--data is for the memory store: with --store etcd:// the state lives in etcd');
    const endpoints = flag(() => parseEtcdUrl(args.store));
    const prefix = flag(() => checkEtcdPrefix(args['etcd-prefix'] ?? DEFAULT_ETCD_PREFIX));
    if ((args['etcd-cert'] === undefined) !== (args['etcd-key'] === undefined))
        throw new UsageError('--etcd-cert and --etcd-key go together');
    if (args['etcd-cert'] !== undefined && args['etcd-ca'] === undefined)
        throw new UsageError('--etcd-cert needs --etcd-ca (the CA that signed etcd\'s certificate)');
    const password = args['etcd-password'] ?? process.env.FAULTMESH_ETCD_PASSWORD;
    if ((args['etcd-user'] === undefined) !== (password === undefined))
        throw new UsageError('--etcd-user and --etcd-password (or FAULTMESH_ETCD_PASSWORD) go together');
    return {
        endpoints,
        prefix,
        ...(args['etcd-ca'] !== undefined ? { tls: { ca: args['etcd-ca'], cert: args['etcd-cert'], key: args['etcd-key'] } } : {}),
        ...(args['etcd-user'] !== undefined && password !== undefined ? { auth: { username: args['etcd-user'], password } } : {}),
    };
}
export const controlCommand = {
    command: 'control',
    describe: 'run the faultmesh control plane: the mesh, registrations, faults and overrides, pushed to every proxy',
    builder: controlOptions,
    handler: async (args) => {
        const token = args.token ?? process.env.FAULTMESH_CONTROL_TOKEN;
        flag(() => checkAdminToken(token, args.token === undefined ? 'FAULTMESH_CONTROL_TOKEN' : '--token', 'the control plane'));
        const maxTtl = checkDuration(args['max-ttl']);
        if (!maxTtl.ok || maxTtl.ms <= 0)
            throw new UsageError(`--max-ttl: ${maxTtl.ok ? 'must be above 0' : maxTtl.message}`);
        const listen = flag(() => parseListenAddress('listen', args.listen));
        const adminHosts = args['admin-host'].map((h) => flag(() => parseAdminHost(h)));
        const adminOrigins = args['admin-origin'].map((o) => flag(() => parseAdminOrigin(o)));
        const etcd = etcdSettingsOf(args);
        const caSettings = caSettingsOf(args);
        // The start runs these rules first; --check runs them too, so it passes only what a start would accept.
        if (args.check) {
            checkControlOptions({ listen, token });
            if (caSettings)
                await checkCa(caSettings);
        }
        // Reads the TLS files: a missing one is the user's mistake, named by its flag.
        const store = etcd && flag(() => new EtcdStore(etcd));
        if (args.check) {
            await store?.close();
            process.stderr.write('faultmesh: flags OK\n');
            return;
        }
        let plane;
        try {
            const ca = caSettings && (await openCa(caSettings));
            if (ca)
                process.stderr.write(`faultmesh: CA ${ca.subject} of trust domain ${ca.trustDomain} from ${ca.dir}, valid until ${ca.notAfter.toISOString()}\n`);
            plane = await startControlPlane({ listen, dataDir: args.data, store, storeName: etcd?.endpoints.join(','), token, adminHosts, adminOrigins, maxTtlMs: maxTtl.ms, ca, certTtlMs: caSettings?.certTtlMs });
        }
        catch (err) {
            await store?.close();
            // No stack for an etcd that is not there yet: a supervisor restarts the replica, and the line says what to fix.
            if (isStoreError(err, 'UNAVAILABLE')) {
                process.stderr.write(`faultmesh: cannot start the control plane: ${err.message}\n`);
                process.exit(1);
            }
            throw err;
        }
        const where = etcd ? `etcd ${etcd.endpoints.join(',')} under ${etcd.prefix}` : `memory${args.data ? `, data in ${args.data}` : ''}`;
        process.stderr.write(`faultmesh: control plane on ${plane.url} (store: ${where})\n`);
        let stopping = false;
        const stop = async (signal) => {
            if (stopping)
                return;
            stopping = true;
            process.stderr.write(`faultmesh: ${signal}: closing proxy streams\n`);
            await plane.close();
            await store?.close();
            process.exit(0);
        };
        process.on('SIGTERM', () => void stop('SIGTERM'));
        process.on('SIGINT', () => void stop('SIGINT'));
    },
};
//# sourceMappingURL=control.js.map