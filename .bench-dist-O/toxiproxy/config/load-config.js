import { z } from 'zod';
import { ConfigError } from '../../proxy/config/config-error.js';
import { YamlSource } from '../../proxy/config/yaml-source.js';
import { portOf } from '../input/address.js';
import { draftOfProxy } from '../input/proxy-input.js';
import { specOf } from '../input/toxic-input.js';
import { PopulateError } from '../registry/registry.js';
import { TOXIC_TYPES } from '../tcp/index.js';
import { ToxiproxyError } from '../toxiproxy-error.js';
/**
 * The shape of a --config file: Toxiproxy's own (an array of proxies, as
 * /populate takes), with faultmesh's `toxics` on each proxy and `ttl` on a
 * toxic. Stricter than Toxiproxy, which ignores what it does not know: in a
 * file, an unknown key is a typo (`upstrem`) that would otherwise be found
 * only when traffic misbehaves.
 */
const toxicEntry = z.strictObject({
    name: z.string().min(1, 'must not be empty (leave it out for <type>_<stream>)').optional(),
    type: z.enum(TOXIC_TYPES, { message: `must be one of ${TOXIC_TYPES.join(', ')}` }),
    stream: z.enum(['upstream', 'downstream'], { message: 'must be upstream (client to server) or downstream (server to client)' }).optional(),
    toxicity: z.number().min(0, 'must be from 0 to 1').max(1, 'must be from 0 to 1').optional(),
    attributes: z.record(z.string(), z.unknown()).optional(),
    ttl: z.union([z.number(), z.string()]).optional(),
});
const proxyEntry = z.strictObject({
    name: z.string().min(1, 'must not be empty'),
    listen: z.string().optional(),
    upstream: z.string().min(1, 'must not be empty'),
    enabled: z.boolean().optional(),
    toxics: z.array(toxicEntry).optional(),
});
const configSchema = z.array(proxyEntry, { message: 'a Toxiproxy config is a list of proxies: [{"name": ..., "listen": ..., "upstream": ...}]' });
/**
 * Reads a --config file (JSON or YAML: YAML reads JSON, with lines). Every
 * problem is reported at once, each with file:line:column and field, in a
 * ConfigError: the shape, then what /populate would refuse (addresses,
 * streams, attributes, a ttl), then what only a file can get wrong (two
 * proxies of one name, or on one address).
 *
 * @example loadToxiproxyConfig('config/toxiproxy.json').proxies[0].name // 'web_dev_frontend_1'
 */
export function loadToxiproxyConfig(file) {
    const source = YamlSource.read(file);
    const entries = source.validate(configSchema);
    const issues = [];
    const proxies = [];
    const names = new Map();
    const addresses = new Map();
    entries.forEach((entry, i) => {
        let draft;
        try {
            draft = draftOfProxy(entry, [i]);
            draft.toxics?.forEach((t, j) => specOf(t, [i, 'toxics', j]));
        }
        catch (err) {
            if (!(err instanceof ToxiproxyError))
                throw err;
            issues.push({ path: err.field, message: err.reason });
            return;
        }
        const first = names.get(draft.name);
        if (first !== undefined)
            issues.push({ path: [i, 'name'], message: `proxy ${JSON.stringify(draft.name)} is already defined by proxy ${first + 1}: a name is given once` });
        else
            names.set(draft.name, i);
        // Port 0 picks a free port each time, so only fixed ports can clash.
        if (portOf(draft.listen) !== 0) {
            const clash = addresses.get(draft.listen);
            if (clash !== undefined)
                issues.push({ path: [i, 'listen'], message: `${draft.listen} is already the listen address of proxy ${clash + 1}` });
            else
                addresses.set(draft.listen, i);
        }
        proxies.push(draft);
    });
    if (issues.length)
        throw new ConfigError(issues.map((issue) => source.locate(issue)));
    return { file, proxies, issueAt: (field, message) => source.locate({ path: field, message }) };
}
/**
 * Creates the file's proxies in a registry, as one /populate. A proxy that
 * cannot listen is a ConfigError at its `listen` line; the proxies started
 * before it are left to the caller, who closes the registry (nothing is
 * left half-started). With --control it is one /populate of the control
 * plane's set, which no port fails (each process reports its own).
 */
export async function applyToxiproxyConfig(registry, config) {
    try {
        await registry.populate(config.proxies);
    }
    catch (err) {
        // --control: the control plane refused an entry (a ttl past its --max-ttl); its error names the entry's field.
        if (err instanceof ToxiproxyError && err.status === 400 && typeof err.field[0] === 'number')
            throw new ConfigError([config.issueAt(err.field, err.reason)]);
        if (!(err instanceof PopulateError))
            throw err;
        const at = err.error.field[0] === undefined || typeof err.error.field[0] === 'number' ? err.error.field : [err.proxies.length, ...err.error.field];
        throw new ConfigError([config.issueAt(at, err.error.reason)]);
    }
}
//# sourceMappingURL=load-config.js.map