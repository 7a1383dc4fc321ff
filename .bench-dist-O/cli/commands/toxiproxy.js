import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { parseAdminHost } from '../../proxy/admin/admin-access.js';
import { checkAdminToken } from '../../proxy/admin/auth.js';
import { parseListenAddress } from '../../proxy/config/listen-address.js';
import { loadToxiproxyConfig } from '../../toxiproxy/config/load-config.js';
import { ControlFailure } from '../../toxiproxy/control/control-api.js';
import { checkToxiproxyOptions, startToxiproxyServer } from '../../toxiproxy/server.js';
import { ToxiproxyError } from '../../toxiproxy/toxiproxy-error.js';
import { controlUrl, tokenOrNone } from '../control-target.js';
import { EXIT_INVALID, UsageError } from '../exit.js';
import { packageRoot } from '../paths.js';
const toxiproxyOptions = (y) => y
    .option('listen', { type: 'string', requiresArg: true, default: '127.0.0.1:8474', describe: "the API's address (Toxiproxy's port is 8474); beyond loopback only with --token" })
    .option('config', { type: 'string', requiresArg: true, describe: "proxies (and their toxics) to create at start: Toxiproxy's JSON config, or the same in YAML" })
    .option('token', { type: 'string', requiresArg: true, describe: 'bearer token for every request that changes proxies or toxics (or FAULTMESH_TOXIPROXY_TOKEN); Toxiproxy clients cannot send one' })
    .option('host', { type: 'string', requiresArg: true, array: true, default: [], describe: 'a Host name the API answers to besides loopback ones (name or name:port); repeatable' })
    .option('seed', { type: 'string', requiresArg: true, describe: "seed of the toxicity rolls, to replay which connections a toxic hits (Toxiproxy's -seed)" })
    .option('control', { type: 'string', requiresArg: true, describe: 'keep the proxies and toxics in this control plane (URL[,URL...] of its replicas): every toxiproxy process on it serves the same set' })
    .option('control-token', { type: 'string', requiresArg: true, describe: "the control plane's token (or FAULTMESH_CONTROL_TOKEN); --token guards this server's own API" })
    .option('check', { type: 'boolean', default: false, describe: 'check the flags and the --config file as a start would, print "flags OK" and exit, without listening or connecting' });
/** Runs a flag's parser; what it throws becomes one line naming the flag (exit 2). */
function flag(name, parse) {
    try {
        return parse();
    }
    catch (err) {
        // The admin API's parsers name their own flags (--admin-host); this command's are named here.
        const message = err.message.replace(/^--[a-z-]+: /, '');
        throw new UsageError(`--${name}: ${message}`);
    }
}
/** faultmesh's version, which /version shows. */
const version = () => JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version;
/** Every check a start makes before it listens; --check runs exactly these. */
function optionsOf(args) {
    const listen = flag('listen', () => parseListenAddress('listen', args.listen));
    const hosts = args.host.map((h) => flag('host', () => parseAdminHost(h)));
    const token = args.token ?? process.env.FAULTMESH_TOXIPROXY_TOKEN;
    flag('token', () => checkAdminToken(token, args.token === undefined ? 'FAULTMESH_TOXIPROXY_TOKEN' : 'the token', 'the Toxiproxy API'));
    checkToxiproxyOptions({ listen, token });
    if (args.seed !== undefined && args.seed.trim() === '')
        throw new UsageError('--seed: give a number or a word to seed the toxicity rolls with');
    const config = args.config === undefined ? undefined : loadToxiproxyConfig(args.config);
    return { listen, hosts, token, config, control: controlOf(args), random: args.seed === undefined ? undefined : seedrandom(args.seed) };
}
/** --control URL[,URL...] and its token (--control-token, else FAULTMESH_CONTROL_TOKEN); undefined: the proxies are this process's own. */
function controlOf(args) {
    const tokenFlag = args['control-token'];
    if (args.control === undefined) {
        if (tokenFlag !== undefined)
            throw new UsageError('--control-token is the control plane\'s token: give --control URL too');
        return undefined;
    }
    const urls = args.control.split(',').map((u) => u.trim()).filter(Boolean).map((u) => controlUrl('--control', u));
    if (urls.length === 0)
        throw new UsageError('--control: give at least one control-plane URL (http://host:port)');
    const token = tokenOrNone(tokenFlag ?? process.env.FAULTMESH_CONTROL_TOKEN, tokenFlag === undefined ? 'FAULTMESH_CONTROL_TOKEN' : '--control-token', 'control');
    return { urls, token };
}
/**
 * A start that the control plane refused: the token is a flag to fix
 * (exit 2); a control plane out of reach, or one that could not take the
 * --config proxies now, is a failure at run time (exit 1). One line each.
 */
function reportStartFailure(err) {
    if (err instanceof ControlFailure) {
        process.stderr.write(`faultmesh: ${err.message}${err.kind === 'REFUSED' ? '' : ': start faultmesh control there, or point --control at it'}\n`);
        process.exit(err.kind === 'REFUSED' ? EXIT_INVALID : 1);
    }
    if (err instanceof ToxiproxyError) {
        process.stderr.write(`faultmesh: ${err.message}\n`);
        process.exit(1);
    }
    throw err;
}
export const toxiproxyCommand = {
    command: 'toxiproxy',
    describe: "serve Toxiproxy's HTTP API and its TCP proxies with toxics, for every Toxiproxy client",
    builder: toxiproxyOptions,
    handler: async (args) => {
        const options = optionsOf(args);
        if (args.check) {
            process.stderr.write('faultmesh: flags OK\n');
            return;
        }
        const server = await startToxiproxyServer({ ...options, version: version() }).catch(reportStartFailure);
        const count = (n) => `${n} prox${n === 1 ? 'y' : 'ies'}`;
        const proxies = options.config ? `, ${count(options.config.proxies.length)} from ${options.config.file}` : '';
        const control = options.control ? `; ${count((await server.registry.proxies()).length)} served from the control plane at ${options.control.urls.join(', ')}` : '';
        process.stderr.write(`faultmesh: toxiproxy API on ${server.url}${proxies}${control}\n`);
        let stopping = false;
        const stop = async (signal) => {
            if (stopping)
                return;
            stopping = true;
            process.stderr.write(`faultmesh: ${signal}: closing every proxy and the API\n`);
            await server.close();
            process.exit(0);
        };
        process.on('SIGTERM', () => void stop('SIGTERM'));
        process.on('SIGINT', () => void stop('SIGINT'));
    },
};
//# sourceMappingURL=toxiproxy.js.map