import type { ErrorRequestHandler } from 'express';
import { sendAdminError } from '../../proxy/admin/admin-error.js';
import type { IssuanceErrorCode } from '../ca/issuance.js';
import { StoreError } from '../store/store.js';

export type ControlErrorCode =
  | 'NO_MESH'
  | 'CONFLICT'
  | 'LEASE_NOT_FOUND'
  | 'REGISTRATION_NOT_FOUND'
  | 'OVERRIDE_NOT_FOUND'
  | 'PROXY_NOT_FOUND'
  | 'INVALID_REQUEST'
  /** A fault rule refused, named as a proxy's admin names it. */
  | 'INVALID_FAULT'
  | 'STORE_UNAVAILABLE'
  /** The control plane was started without --ca-dir: it issues no certificates. */
  | 'NO_CA'
  | 'JOIN_TOKEN_NOT_FOUND'
  /** A certificate request refused (control/ca/issuance.ts). */
  | IssuanceErrorCode;

/** A refused control-plane request that the admin API has no code for. */
export class ControlError extends Error {
  override readonly name = 'ControlError';
  constructor(
    readonly code: ControlErrorCode,
    readonly status: number,
    message: string,
    readonly errors?: readonly unknown[],
  ) {
    super(message);
  }
}

const STORE_STATUS: Record<StoreError['code'], { status: number; code: ControlErrorCode }> = {
  CONFLICT: { status: 409, code: 'CONFLICT' },
  LEASE_NOT_FOUND: { status: 404, code: 'LEASE_NOT_FOUND' },
  // A watch that fell too far behind is the server's trouble, not the caller's.
  COMPACTED: { status: 503, code: 'STORE_UNAVAILABLE' },
  UNAVAILABLE: { status: 503, code: 'STORE_UNAVAILABLE' },
};

/**
 * The one place a control-plane error becomes a response, `{code, message,
 * errors?}` like the admin API's: control errors and store errors here,
 * everything else (guards, bodies, fault store codes) through sendAdminError.
 */
export const sendControlError: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (err instanceof ControlError) {
    res.status(err.status).json({ code: err.code, message: err.message, ...(err.errors ? { errors: err.errors } : {}) });
    return;
  }
  if (err instanceof StoreError) {
    const { status, code } = STORE_STATUS[err.code];
    res.status(status).json({ code, message: err.message });
    return;
  }
  sendAdminError(err, req, res, next);
};
