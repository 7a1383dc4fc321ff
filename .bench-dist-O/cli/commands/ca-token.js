import { callControl } from '../../control/control-client.js';
import { describeFailure, isOk } from '../../proxy/admin/admin-client.js';
import { checkDuration } from '../../proxy/config/duration.js';
import { serviceNameSchema } from '../../proxy/config/mesh-schema.js';
import { controlTokenOf, oneControlUrl } from '../control-target.js';
import { CommandFailure, UsageError } from '../exit.js';
import { JSON_FLAG, printJson } from '../json-output.js';
/** As the control plane allows (control/api/join-token-routes.ts), so a bad flag is refused before anything is sent. */
const MAX_TTL_MS = 365 * 86_400_000;
const target = (y) => y
    .option('control', { type: 'string', describe: 'control plane URL (or FAULTMESH_CONTROL; default http://127.0.0.1:15100)' })
    .option('token', { type: 'string', describe: 'control token (or FAULTMESH_CONTROL_TOKEN)' });
/** The control plane's answer, or a failure (exit 1) with its one-line reason. */
function answered(r) {
    if (isOk(r))
        return r.body;
    throw new CommandFailure(describeFailure(r), typeof r.body.code === 'string' ? r.body.code : `HTTP_${r.status}`);
}
function servicesOf(given) {
    if (given.length === 0)
        throw new UsageError('--service: name a service the token may be issued certificates for (repeatable), or "*" for any');
    for (const s of given) {
        if (s !== '*' && !serviceNameSchema.safeParse(s).success)
            throw new UsageError(`--service: "${s}" is not a service name`);
    }
    if (given.includes('*') && given.length > 1)
        throw new UsageError('--service: "*" (any service) stands alone');
    return [...given];
}
async function create(args) {
    const services = servicesOf(args.service);
    if (args.ttl !== undefined) {
        const ttl = checkDuration(args.ttl, MAX_TTL_MS);
        if (!ttl.ok || ttl.ms <= 0)
            throw new UsageError(`--ttl: ${ttl.ok ? 'must be above 0' : ttl.message}`);
    }
    const url = oneControlUrl(args.control);
    const body = answered(await callControl(url, 'POST', '/v1/join-tokens', controlTokenOf(args.token), { services, ...(args.ttl !== undefined ? { ttl: args.ttl } : {}) }));
    const expires = typeof body.expiresAt === 'string' ? `, expires ${body.expiresAt}` : ', never expires (revoke it to end it)';
    process.stderr.write(`faultmesh: created join token ${String(body.id)} for ${services.join(', ')}${expires}; it is shown once, below\n`);
    process.stdout.write(`${String(body.token)}\n`);
}
async function list(args) {
    const body = answered(await callControl(oneControlUrl(args.control), 'GET', '/v1/join-tokens', controlTokenOf(args.token)));
    const tokens = (body.tokens ?? []);
    if (args.json)
        return printJson(tokens);
    if (tokens.length === 0)
        return void process.stdout.write('no join tokens\n');
    const rows = [['ID', 'STATE', 'SERVICES', 'CREATED', 'EXPIRES'], ...tokens.map((t) => [t.id, t.revokedAt ? `revoked ${t.revokedAt}` : t.state, t.services.join(','), t.createdAt, t.expiresAt ?? 'never'])];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    process.stdout.write(rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n') + '\n');
}
async function revoke(args) {
    const body = answered(await callControl(oneControlUrl(args.control), 'DELETE', `/v1/join-tokens/${encodeURIComponent(args.id)}`, controlTokenOf(args.token)));
    const view = body.revoked;
    process.stdout.write(`revoked join token ${view.id} (${view.services.join(', ')}) at ${view.revokedAt}: it gets no certificate any more; proxies keep the ones they hold until they expire\n`);
}
export const caTokenCommand = {
    command: 'token <action>',
    describe: 'join tokens with which proxies get their certificates from a control plane (faultmesh control --ca-dir)',
    builder: (y) => y
        .command('create', 'create a token for one or more services; prints the token alone on stdout (shown once), its id on stderr', (c) => target(c)
        .option('service', { type: 'string', array: true, default: [], describe: 'a service the token may be issued certificates for (repeatable), or "*" for any' })
        .option('ttl', { type: 'string', describe: 'how long the token may be used (for example 30d); without it, until revoked. Proxies renew with it: it must outlast them' }), (args) => create(args))
        .command('list', 'list the tokens: id, state, services, created, expires (never a secret)', (c) => target(c).option('json', { ...JSON_FLAG, describe: 'print the tokens (never a secret) as one JSON document' }), (args) => list(args))
        .command('revoke <id>', 'revoke a token: from then on it gets no certificate', (c) => target(c).positional('id', { type: 'string', demandOption: true, describe: 'the token\'s id, as ca token create and list print it' }), (args) => revoke(args))
        .demandCommand(1),
    handler: () => { },
};
//# sourceMappingURL=ca-token.js.map