/**
 * What can be wrong with an identity, a certificate or the files holding them.
 * Stable codes, so the CLI can turn them into one-line usage errors and the
 * proxy can count them, without matching on messages.
 */
export type IdentityErrorCode =
  | 'TRUST_DOMAIN_INVALID'
  | 'SERVICE_INVALID'
  | 'FILE_UNREADABLE'
  | 'NOT_PEM'
  | 'KEY_MISMATCH'
  | 'UNTRUSTED'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'NO_IDENTITY'
  | 'WRONG_TRUST_DOMAIN';

/**
 * Thrown by the identity modules. `file` names the file at fault when there
 * is one. Messages never carry key material: they name files and fields.
 */
export class IdentityError extends Error {
  override readonly name = 'IdentityError';
  readonly code: IdentityErrorCode;
  readonly file: string | undefined;
  constructor(code: IdentityErrorCode, message: string, file?: string) {
    super(file === undefined ? message : `${file}: ${message}`);
    this.code = code;
    this.file = file;
  }
}
