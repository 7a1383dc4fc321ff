/**
 * Typed failures of the TCP data path, each with a stable `code`. The API
 * layer (toxiproxy/api) turns ToxicError into Toxiproxy's 400 bodies and
 * TcpProxyError into its own answers.
 */
export type ToxicErrorCode = 'INVALID_TOXIC_TYPE' | 'INVALID_TOXIC_ATTRIBUTE';

/** A toxic that cannot run: an unknown type, or an attribute of the wrong kind or out of range. */
export class ToxicError extends Error {
  override readonly name = 'ToxicError';
  constructor(
    readonly code: ToxicErrorCode,
    message: string,
    /** The attribute at fault (`latency`, `average_size`), for file:line:field messages; absent for the type or the whole object. */
    readonly attribute?: string,
  ) {
    super(message);
  }
}

export type TcpProxyErrorCode = 'ADDRESS_INVALID' | 'LISTEN_FAILED';

/** A proxy that cannot be set up: a malformed address, or a listener the system refused. */
export class TcpProxyError extends Error {
  override readonly name = 'TcpProxyError';
  constructor(
    readonly code: TcpProxyErrorCode,
    message: string,
    /** The system's code (EADDRINUSE, EACCES) when the listener was refused. */
    readonly errno?: string,
  ) {
    super(message);
  }
}
