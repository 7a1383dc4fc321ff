/**
 * Keeps one Node warning off stderr: DEP0123, "Setting the TLS ServerName to
 * an IP address is not permitted by RFC 6066".
 *
 * grpc-js (under etcd3) sends the endpoint's host as the TLS server name,
 * and etcd endpoints are usually IP addresses (`etcd://10.0.0.1:2379`), so
 * Node printed that line on the first TLS connection of every replica,
 * although nothing is wrong: etcd ignores the name, and the certificate is
 * still checked against the IP address. grpc-js has no option to send no
 * name: `grpc.ssl_target_name_override` also changes the name the
 * certificate is checked against. So only that warning, identified by its
 * code, is dropped; every other warning goes through unchanged.
 */
let installed = false;
export function quietIpServername() {
    if (installed)
        return;
    installed = true;
    const emit = process.emitWarning.bind(process);
    process.emitWarning = ((...args) => {
        if (warningCode(args) === 'DEP0123')
            return;
        emit(...args);
    });
}
/** The code of emitWarning(warning, type, code) or emitWarning(warning, { code }), or of an Error passed as the warning. */
function warningCode(args) {
    const [warning, second, third] = args;
    if (typeof second === 'object' && second !== null)
        return second.code;
    if (third !== undefined)
        return third;
    return warning instanceof Error ? warning.code : undefined;
}
//# sourceMappingURL=ip-servername.js.map