/** A toxic that cannot run: an unknown type, or an attribute of the wrong kind or out of range. */
export class ToxicError extends Error {
    code;
    attribute;
    name = 'ToxicError';
    constructor(code, message, 
    /** The attribute at fault (`latency`, `average_size`), for file:line:field messages; absent for the type or the whole object. */
    attribute) {
        super(message);
        this.code = code;
        this.attribute = attribute;
    }
}
/** A proxy that cannot be set up: a malformed address, or a listener the system refused. */
export class TcpProxyError extends Error {
    code;
    errno;
    name = 'TcpProxyError';
    constructor(code, message, 
    /** The system's code (EADDRINUSE, EACCES) when the listener was refused. */
    errno) {
        super(message);
        this.code = code;
        this.errno = errno;
    }
}
//# sourceMappingURL=errors.js.map