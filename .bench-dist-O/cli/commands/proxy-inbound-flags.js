import { formatHostPort, isLoopback, parseListenAddress } from '../../proxy/config/listen-address.js';
import { isWildcardHost } from '../../proxy/transport/inbound-registration.js';
import { INBOUND_MODES } from '../../proxy/transport/inbound-server.js';
import { UsageError } from '../exit.js';
export const inboundFlags = {
    inbound: { type: 'string', requiresArg: true, describe: "also accept calls for this sidecar's own app here: mutual TLS from the callers' sidecars, the service's authorization policy, then --app (needs --app, --service and an identity); for several apps, give each --register ID=APP_HOST:PORT,inbound=HOST:PORT instead" },
    app: { type: 'string', requiresArg: true, describe: 'the app beside this sidecar, for --inbound: host:port, reached over plain HTTP (keep it on loopback)' },
    // No yargs default, so an --inbound-tls without a listener can be told apart and refused.
    'inbound-tls': { type: 'string', requiresArg: true, describe: 'of every inbound listener: mutual (default): only callers with a mesh certificate; permissive: plaintext callers too, counted in faultmesh_inbound_plaintext_total (to migrate a service)' },
};
/**
 * The inbound listeners' options from the flags, one per app, or undefined
 * without any. Throws UsageError, one line naming the flag.
 *
 * @example inboundOf({ inbound: '127.0.0.1:15006', app: '127.0.0.1:8080' }, [], { service: 'payments', identity, workers: 1 })
 * // [{ listen: { host: '127.0.0.1', port: 15006 }, app: { host: '127.0.0.1', port: 8080 }, mode: 'mutual' }]
 * @example inboundOf({}, [{ id: 'pay-1', given: app, inbound: '127.0.0.1:0', text }], context)
 * // [{ listen: { host: '127.0.0.1', port: 0 }, app: { host: '127.0.0.1', port: 18111 }, mode: 'mutual', instance: 'pay-1' }]
 */
export function inboundOf(args, registers, context) {
    const perApp = registers.filter((r) => r.inbound !== undefined);
    if (args.inbound !== undefined && perApp.length > 0) {
        throw new UsageError(`--register ${perApp[0].text}: give either --inbound HOST:PORT --app HOST:PORT (one app) or inbound=HOST:PORT on every --register (one listener per app), not both`);
    }
    if (perApp.length > 0)
        return perAppListeners(args, registers, context);
    if (args.inbound === undefined) {
        const stray = ['app', 'inbound-tls'].filter((f) => args[f] !== undefined);
        if (stray.length > 0)
            throw new UsageError(`${stray.map((f) => `--${f}`).join(' and ')} configure${stray.length === 1 ? 's' : ''} the inbound listener: give --inbound HOST:PORT too`);
        return undefined;
    }
    const listen = address('inbound', args.inbound);
    if (args.app === undefined)
        throw new UsageError('--inbound needs --app HOST:PORT: the app this sidecar passes the calls to');
    const app = address('app', args.app);
    const mode = modeOf(args['inbound-tls']);
    checkContext('--inbound', context);
    if (!isLoopback(app.host))
        (context.warn ?? warn)(`--app ${args.app} is not a loopback address: calls from this sidecar to the app travel unencrypted`);
    // The one registered instance is this listener's; several ids for one app keep the label "app".
    return [{ listen, app, mode, ...(registers.length === 1 ? { instance: registers[0].id } : {}) }];
}
/** --register ID=APP_HOST:PORT,inbound=HOST:PORT (every --register): a listener for each app, named by its instance. */
function perAppListeners(args, registers, context) {
    if (args.app !== undefined)
        throw new UsageError('--app is for --inbound HOST:PORT (one app); with inbound= on --register, each app is the ID=HOST:PORT of its --register');
    const mode = modeOf(args['inbound-tls']);
    const listeners = [];
    for (const r of registers) {
        if (r.inbound === undefined)
            throw new UsageError(`--register ${r.text}: give it inbound=HOST:PORT too: once one instance is reached through a listener of this sidecar, every one is`);
        if (r.given === undefined)
            throw new UsageError(`--register ${r.text}: write ${r.id}=APP_HOST:PORT,...: the app its inbound listener passes calls to`);
        const listen = address('inbound', r.inbound, `--register ${r.id}: inbound=`);
        if (isWildcardHost(listen.host))
            throw new UsageError(`--register ${r.id}: inbound=${r.inbound} listens on every address, so callers cannot be told where: name the one they reach (inbound=HOST:${listen.port || 'PORT'})`);
        const twin = listeners.find((l) => l.instance === r.id || sameListener(l.listen, listen));
        if (twin)
            throw new UsageError(twin.instance === r.id ? `--register: instance ${r.id} is given twice` : `--register ${r.id}: inbound=${r.inbound} is already the listener of ${twin.instance}`);
        const app = { host: r.given.host, port: r.given.port };
        if (sameListener(listen, app))
            throw new UsageError(`--register ${r.id}: inbound=${r.inbound} is the app's own address: give its listener a port of its own`);
        if (!isLoopback(app.host))
            (context.warn ?? warn)(`--register ${r.id}=${r.given.text}: the app is not on a loopback address: calls from this sidecar to it travel unencrypted`);
        listeners.push({ listen, app, mode, instance: r.id });
    }
    checkContext(`--register ${registers[0].id}: inbound=`, context);
    return listeners;
}
/** What every inbound listener needs of the rest of the proxy; `subject` starts the message (the flag that asked). */
function checkContext(subject, context) {
    if (!context.identity)
        throw new UsageError(`${subject} needs an identity: --cert/--key/--ca or --control with a join token`);
    if (context.service === undefined)
        throw new UsageError(`${subject} needs --service NAME (the service this sidecar's app is)`);
    // The cluster shares one listening socket per port among workers; the inbound one is not shared yet.
    if (context.workers > 1)
        throw new UsageError(`${subject} runs in one process: give --workers 1 (the default) with it`);
}
/** Two listen addresses that would take the same port: equal, or one of them on every address. Port 0 never clashes. */
function sameListener(a, b) {
    return a.port !== 0 && a.port === b.port && (a.host === b.host || isWildcardHost(a.host) || isWildcardHost(b.host));
}
/**
 * The address one --register gives its instance, with inbound listeners
 * (replaced by the listener's real one once it listens:
 * proxy/transport/inbound-registration.ts): with inbound=, its own
 * listener's; in the one-app form, see registeredAddress.
 */
export function registeredInboundAddress(r, listeners) {
    const own = r.inbound === undefined ? undefined : listeners.find((l) => l.instance === r.id);
    if (own)
        return formatHostPort(own.listen.host, own.listen.port);
    return registeredAddress(r.id, r.given, listeners[0]);
}
/**
 * The address one --register gives its instance, with an inbound listener:
 * the listener's (replaced by its real one once it listens, port 0
 * resolved: proxy/transport/inbound-registration.ts), so `ID` alone is
 * enough; `ID=HOST:PORT` must name the listener too, since an app
 * registered at its own address would be called around its sidecar. A
 * listener on a wildcard address needs the HOST callers reach it on.
 *
 * @example registeredAddress('payments-1', undefined, inbound) // '127.0.0.1:15006'
 */
export function registeredAddress(id, given, inbound) {
    const at = inbound.listen;
    const listener = formatHostPort(at.host, at.port);
    if (given === undefined) {
        if (isWildcardHost(at.host))
            throw new UsageError(`--register ${id}: --inbound ${listener} listens on every address; write ${id}=HOST:${at.port || 'PORT'} with the address callers reach it on`);
        return listener;
    }
    if (at.port === 0)
        throw new UsageError(`--register ${id}=${given.text}: --inbound asks for any free port, which only the listener knows: write --register ${id}`);
    const sameHost = isWildcardHost(at.host) || given.host === at.host;
    if (!sameHost || given.port !== at.port) {
        throw new UsageError(`--register ${id}=${given.text} is not the inbound listener (${listener}): with --inbound, callers must reach the app through its sidecar; write --register ${id}`);
    }
    return given.text;
}
/** `text` as a listen address; a bad one is named `--flag` or, given, `subject` ("--register pay-1: inbound="). */
function address(flag, text, subject) {
    try {
        return parseListenAddress(flag, text);
    }
    catch (err) {
        if (subject === undefined)
            throw new UsageError(err.message);
        throw new UsageError(`${subject}"${text}" is not host:port (for example 127.0.0.1:15006, or 127.0.0.1:0 for any free port)`);
    }
}
function modeOf(text) {
    if (text === undefined)
        return 'mutual';
    const mode = INBOUND_MODES.find((m) => m === text.trim().toLowerCase());
    if (mode === undefined)
        throw new UsageError(`--inbound-tls: "${text}" is not a mode: ${INBOUND_MODES.join(' or ')}`);
    return mode;
}
const warn = (line) => process.stderr.write(`faultmesh: ${line}\n`);
//# sourceMappingURL=proxy-inbound-flags.js.map