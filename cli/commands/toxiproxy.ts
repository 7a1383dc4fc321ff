import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import type { Argv } from 'yargs';
import { parseAdminHost } from '../../proxy/admin/admin-access.js';
import { checkAdminToken } from '../../proxy/admin/auth.js';
import { parseListenAddress } from '../../proxy/config/listen-address.js';
import { loadToxiproxyConfig } from '../../toxiproxy/config/load-config.js';
import { checkToxiproxyOptions, startToxiproxyServer } from '../../toxiproxy/server.js';
import { UsageError } from '../exit.js';
import { packageRoot } from '../paths.js';

const toxiproxyOptions = (y: Argv) =>
  y
    .option('listen', { type: 'string', requiresArg: true, default: '127.0.0.1:8474', describe: "the API's address (Toxiproxy's port is 8474); beyond loopback only with --token" })
    .option('config', { type: 'string', requiresArg: true, describe: "proxies (and their toxics) to create at start: Toxiproxy's JSON config, or the same in YAML" })
    .option('token', { type: 'string', requiresArg: true, describe: 'bearer token for every request that changes proxies or toxics (or FAULTMESH_TOXIPROXY_TOKEN); Toxiproxy clients cannot send one' })
    .option('host', { type: 'string', requiresArg: true, array: true, default: [] as string[], describe: 'a Host name the API answers to besides loopback ones (name or name:port); repeatable' })
    .option('seed', { type: 'string', requiresArg: true, describe: "seed of the toxicity rolls, to replay which connections a toxic hits (Toxiproxy's -seed)" })
    .option('check', { type: 'boolean', default: false, describe: 'check the flags and the --config file as a start would, print "flags OK" and exit, without listening' });
// --control URL (proxies and toxics kept in the control plane, the same on every toxiproxy process) is a later
// step: it hands startToxiproxyServer a ToxiproxyRegistry backed by the control plane instead of the local one.

type ToxiproxyArgs = Awaited<ReturnType<typeof toxiproxyOptions>['argv']>;

/** Runs a flag's parser; what it throws becomes one line naming the flag (exit 2). */
function flag<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    // The admin API's parsers name their own flags (--admin-host); this command's are named here.
    const message = (err as Error).message.replace(/^--[a-z-]+: /, '');
    throw new UsageError(`--${name}: ${message}`);
  }
}

/** faultmesh's version, which /version shows. */
const version = (): string => (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;

/** Every check a start makes before it listens; --check runs exactly these. */
function optionsOf(args: ToxiproxyArgs) {
  const listen = flag('listen', () => parseListenAddress('listen', args.listen));
  const hosts = args.host.map((h) => flag('host', () => parseAdminHost(h)));
  const token = args.token ?? process.env.FAULTMESH_TOXIPROXY_TOKEN;
  flag('token', () => checkAdminToken(token, args.token === undefined ? 'FAULTMESH_TOXIPROXY_TOKEN' : 'the token', 'the Toxiproxy API'));
  checkToxiproxyOptions({ listen, token });
  if (args.seed !== undefined && args.seed.trim() === '') throw new UsageError('--seed: give a number or a word to seed the toxicity rolls with');
  const config = args.config === undefined ? undefined : loadToxiproxyConfig(args.config);
  return { listen, hosts, token, config, random: args.seed === undefined ? undefined : seedrandom(args.seed) };
}

export const toxiproxyCommand = {
  command: 'toxiproxy',
  describe: "serve Toxiproxy's HTTP API and its TCP proxies with toxics, for every Toxiproxy client",
  builder: toxiproxyOptions,
  handler: async (args: ToxiproxyArgs) => {
    const options = optionsOf(args);
    if (args.check) {
      process.stderr.write('faultmesh: flags OK\n');
      return;
    }
    const server = await startToxiproxyServer({ ...options, version: version() });
    const proxies = options.config ? `, ${options.config.proxies.length} prox${options.config.proxies.length === 1 ? 'y' : 'ies'} from ${options.config.file}` : '';
    process.stderr.write(`faultmesh: toxiproxy API on ${server.url}${proxies}\n`);
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`faultmesh: ${signal}: closing every proxy and the API\n`);
      await server.close();
      process.exit(0);
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
  },
};
