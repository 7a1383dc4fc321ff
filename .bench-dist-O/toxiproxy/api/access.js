import { guardAdminAccess, hostName } from '../../proxy/admin/admin-access.js';
import { AdminError } from '../../proxy/admin/admin-error.js';
import { requireToken } from '../../proxy/admin/auth.js';
import { ToxiproxyError } from '../toxiproxy-error.js';
export const TOKEN_REFUSAL = 'this request changes proxies or toxics: send Authorization: Bearer <token> (the token given to faultmesh toxiproxy with --token or FAULTMESH_TOXIPROXY_TOKEN)';
/**
 * Who may use the API, in the order requests meet the checks:
 * - the Host must be loopback, the listen address or a --host name (the
 *   admin API's guard: a DNS-rebinding page sends its own name), and a
 *   state change from another web origin is refused;
 * - a browser is refused outright, by its `Mozilla/` user agent, as
 *   Toxiproxy does (api.go stopBrowsersMiddleware);
 * - with a token, every state change needs it. Toxiproxy's clients cannot
 *   send one, so it is for a server that listens beyond loopback.
 */
export function guardToxiproxyAccess(access) {
    const guard = guardAdminAccess({ listenHost: access.listenHost, hosts: access.hosts });
    const hostAndOrigin = (req, res, next) => guard(req, res, (err) => {
        if (!(err instanceof AdminError))
            return next(err);
        // The admin guard's advice names the proxy's flags; this command's are --host, and it takes no web origin.
        if (err.code === 'HOST_NOT_ALLOWED') {
            const name = hostName(req.headers.host) ?? JSON.stringify(req.headers.host ?? '');
            return next(new ToxiproxyError('FORBIDDEN', 403, `Host ${name} is not a name of this server: call it on a loopback address, or start it with --host ${hostName(req.headers.host) ?? 'NAME'}`));
        }
        next(new ToxiproxyError('FORBIDDEN', 403, `a state change from a web page is refused (Origin ${req.headers.origin ?? 'none'}, Sec-Fetch-Site ${req.headers['sec-fetch-site'] ?? 'none'})`));
    });
    const noBrowsers = (req, _res, next) => next(req.headers['user-agent']?.startsWith('Mozilla/') ? new ToxiproxyError('FORBIDDEN', 403, 'User agent not allowed') : undefined);
    return [hostAndOrigin, noBrowsers, requireToken(access.token, TOKEN_REFUSAL)];
}
//# sourceMappingURL=access.js.map