/** What can be wrong with a CA directory or a signing request. */
export type CaErrorCode =
  | 'CA_DIR_PARTIAL'
  | 'CA_EXISTS'
  | 'CA_DIR_IO'
  | 'CA_FILE_INVALID'
  | 'CA_KEY_EXPOSED'
  | 'CA_KEY_MISMATCH'
  | 'CA_NOT_CA'
  | 'CA_EXPIRED'
  | 'CA_UNTRUSTED'
  | 'CA_TRUST_DOMAIN_MISMATCH'
  | 'CSR_INVALID'
  | 'TTL_INVALID';

/**
 * Thrown by the mesh CA. Messages name files and fields, never key
 * material: the CA key must not reach a log, a journal or an HTTP body.
 */
export class CaError extends Error {
  override readonly name = 'CaError';
  readonly code: CaErrorCode;
  readonly file: string | undefined;
  constructor(code: CaErrorCode, message: string, file?: string) {
    super(file === undefined ? message : `${file}: ${message}`);
    this.code = code;
    this.file = file;
  }

  /** The same fields a caller would log; spelled out so nothing else is ever serialised. */
  toJSON(): { name: string; code: CaErrorCode; message: string; file?: string } {
    return { name: this.name, code: this.code, message: this.message, ...(this.file === undefined ? {} : { file: this.file }) };
  }
}
