import pino, { type Logger } from 'pino';

export type AccessLogTarget = { readonly kind: 'stdout' } | { readonly kind: 'file'; readonly path: string } | { readonly kind: 'off' };

/** One JSON line per request, written asynchronously so the hot path never waits on the disk. */
export function createAccessLog(target: AccessLogTarget): Logger | undefined {
  if (target.kind === 'off') return undefined;
  const dest = pino.destination({ dest: target.kind === 'stdout' ? 1 : target.path, sync: false, mkdir: true, minLength: 4096 });
  return pino({ base: null, timestamp: pino.stdTimeFunctions.isoTime, messageKey: 'msg' }, dest);
}

/** Parses `--access-log stdout|off|PATH`. */
export function accessLogTarget(value: string): AccessLogTarget {
  if (value === 'stdout' || value === '-') return { kind: 'stdout' };
  if (value === 'off' || value === 'none') return { kind: 'off' };
  return { kind: 'file', path: value };
}
