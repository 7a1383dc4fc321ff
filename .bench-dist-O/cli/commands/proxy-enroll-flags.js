import { checkTrustDomain } from '../../proxy/identity/spiffe.js';
import { checkDuration } from '../../proxy/config/duration.js';
import { UsageError } from '../exit.js';
export const enrollFlags = {
    'join-token': { type: 'string', requiresArg: true, describe: "get this sidecar's certificate from the control plane's CA with this join token (or FAULTMESH_JOIN_TOKEN; from faultmesh ca token create), renewed at two thirds of its lifetime; needs --control and --service" },
    'enroll-timeout': { type: 'string', requiresArg: true, default: '30s', describe: 'with --join-token: how long a start waits for its first certificate before it exits 1' },
};
/**
 * The identity options with --join-token taken into account: unchanged
 * without one; with one, an identity of kind `control` and the enrollment
 * settings. Throws UsageError naming the flag.
 *
 * @example withEnrollment({ 'join-token': 'fmjt.…', 'trust-domain': 'faultmesh.local' }, control, { service: 'orders', identity: undefined })
 * // { service: 'orders', identity: { kind: 'control', trustDomain: 'faultmesh.local' }, enrollment: { urls, joinToken, service: 'orders', trustDomain } }
 */
export function withEnrollment(args, control, fromFiles) {
    const flag = args['join-token'];
    const joinToken = flag ?? process.env.FAULTMESH_JOIN_TOKEN;
    const from = flag === undefined ? 'FAULTMESH_JOIN_TOKEN' : '--join-token';
    if (joinToken === undefined)
        return fromFiles;
    if (joinToken.trim() === '')
        throw new UsageError(`${from} is blank: give the token faultmesh ca token create printed`);
    if (fromFiles.identity)
        throw new UsageError(`${from} and --cert/--key/--ca are two sources of one identity: give one of them`);
    if (!control)
        throw new UsageError(`${from} needs --control URL: the certificate comes from the control plane's CA`);
    const service = fromFiles.service;
    if (service === undefined)
        throw new UsageError(`${from} needs --service NAME: the service the certificate is asked for`);
    const trustDomain = checkTrustDomain(args['trust-domain']);
    const wait = checkDuration(args['enroll-timeout']);
    if (!wait.ok)
        throw new UsageError(`--enroll-timeout: ${wait.message}`);
    if (wait.ms < 1_000)
        throw new UsageError('--enroll-timeout: at least 1s, so one request to the control plane has time to be answered');
    return { service, identity: { kind: 'control', trustDomain }, enrollment: { urls: control.urls, joinToken: joinToken.trim(), service, trustDomain, firstWaitMs: wait.ms } };
}
/**
 * A start the control plane's CA refused (a revoked token, a service the
 * token does not allow) or that got no certificate in time: one line, exit
 * 1. Anything else is rethrown. By code, so this module loads no X.509 library.
 */
export function exitOnEnrollmentFailure(err) {
    const e = err;
    if (typeof e?.code === 'string' && e.code.startsWith('ENROLLMENT_')) {
        process.stderr.write(`faultmesh: cannot start: ${String(e.message)}\n`);
        process.exit(1);
    }
    throw err;
}
//# sourceMappingURL=proxy-enroll-flags.js.map