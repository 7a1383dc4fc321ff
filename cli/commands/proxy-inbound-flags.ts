/**
 * The inbound sidecar's flags: --inbound HOST:PORT, --app HOST:PORT and
 * --inbound-tls mutual|permissive, and what --register means with them.
 * Checked as a start needs them, so `--check` refuses what a start would.
 */
import type { Options } from 'yargs';
import { formatHostPort, isLoopback, parseListenAddress, type ListenAddress } from '../../proxy/config/listen-address.js';
import type { IdentityOption } from '../../proxy/data-plane.js';
import { isWildcardHost } from '../../proxy/transport/inbound-registration.js';
import { INBOUND_MODES, type InboundMode, type InboundOptions } from '../../proxy/transport/inbound-server.js';
import { UsageError } from '../exit.js';

export const inboundFlags = {
  inbound: { type: 'string', requiresArg: true, describe: "also accept calls for this sidecar's own app here: mutual TLS from the callers' sidecars, the service's authorization policy, then --app (needs --app, --service and an identity)" },
  app: { type: 'string', requiresArg: true, describe: 'the app beside this sidecar, for --inbound: host:port, reached over plain HTTP (keep it on loopback)' },
  // No yargs default, so an --inbound-tls without --inbound can be told apart and refused.
  'inbound-tls': { type: 'string', requiresArg: true, describe: 'mutual (default): only callers with a mesh certificate; permissive: plaintext callers too, counted in faultmesh_inbound_plaintext_total (to migrate a service)' },
} as const satisfies Record<string, Options>;

export interface InboundFlagArgs {
  readonly inbound?: string | undefined;
  readonly app?: string | undefined;
  readonly 'inbound-tls'?: string | undefined;
}

/** What the inbound flags are checked against: the proxy's other options, already parsed. */
export interface InboundContext {
  readonly service: string | undefined;
  readonly identity: IdentityOption | undefined;
  readonly workers: number;
  /** Where a warning goes (an --app off loopback); stderr by default. */
  readonly warn?: (line: string) => void;
}

/**
 * The inbound listener's options from the flags, or undefined without
 * --inbound. Throws UsageError, one line naming the flag.
 *
 * @example inboundOf({ inbound: '127.0.0.1:15006', app: '127.0.0.1:8080' }, { service: 'payments', identity, workers: 1 })
 * // { listen: { host: '127.0.0.1', port: 15006 }, app: { host: '127.0.0.1', port: 8080 }, mode: 'mutual' }
 */
export function inboundOf(args: InboundFlagArgs, context: InboundContext): InboundOptions | undefined {
  if (args.inbound === undefined) {
    const stray = (['app', 'inbound-tls'] as const).filter((f) => args[f] !== undefined);
    if (stray.length > 0) throw new UsageError(`${stray.map((f) => `--${f}`).join(' and ')} configure${stray.length === 1 ? 's' : ''} the inbound listener: give --inbound HOST:PORT too`);
    return undefined;
  }
  const listen = address('inbound', args.inbound);
  if (args.app === undefined) throw new UsageError('--inbound needs --app HOST:PORT: the app this sidecar passes the calls to');
  const app = address('app', args.app);
  const mode = modeOf(args['inbound-tls']);
  if (!context.identity) throw new UsageError('--inbound needs an identity: --cert/--key/--ca or --control with a join token');
  if (context.service === undefined) throw new UsageError("--inbound needs --service NAME (the service this sidecar's app is)");
  // The cluster shares one listening socket per port among workers; the inbound one is not shared yet.
  if (context.workers > 1) throw new UsageError('--inbound runs in one process: give --workers 1 (the default) with it');
  if (!isLoopback(app.host)) (context.warn ?? warn)(`--app ${args.app} is not a loopback address: calls from this sidecar to the app travel unencrypted`);
  return { listen, app, mode };
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
export function registeredAddress(id: string, given: { readonly host: string; readonly port: number; readonly text: string } | undefined, inbound: InboundOptions): string {
  const at = inbound.listen;
  const listener = formatHostPort(at.host, at.port);
  if (given === undefined) {
    if (isWildcardHost(at.host)) throw new UsageError(`--register ${id}: --inbound ${listener} listens on every address; write ${id}=HOST:${at.port || 'PORT'} with the address callers reach it on`);
    return listener;
  }
  if (at.port === 0) throw new UsageError(`--register ${id}=${given.text}: --inbound asks for any free port, which only the listener knows: write --register ${id}`);
  const sameHost = isWildcardHost(at.host) || given.host === at.host;
  if (!sameHost || given.port !== at.port) {
    throw new UsageError(`--register ${id}=${given.text} is not the inbound listener (${listener}): with --inbound, callers must reach the app through its sidecar; write --register ${id}`);
  }
  return given.text;
}

function address(flag: string, text: string): ListenAddress {
  try {
    return parseListenAddress(flag, text);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function modeOf(text: string | undefined): InboundMode {
  if (text === undefined) return 'mutual';
  const mode = INBOUND_MODES.find((m) => m === text.trim().toLowerCase());
  if (mode === undefined) throw new UsageError(`--inbound-tls: "${text}" is not a mode: ${INBOUND_MODES.join(' or ')}`);
  return mode;
}

const warn = (line: string) => process.stderr.write(`faultmesh: ${line}\n`);
