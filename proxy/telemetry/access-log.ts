import pino, { type Logger } from 'pino';

export type AccessLogTarget = { readonly kind: 'stdout' } | { readonly kind: 'file'; readonly path: string } | { readonly kind: 'off' };

export interface AccessLog {
  readonly logger: Logger;
  /** Writes out what is buffered; resolves when it is written. */
  close(): Promise<void>;
}

/**
 * One JSON line per request, written asynchronously in 4 KiB batches so the
 * hot path never waits on the disk; a timer flushes at least every second so
 * a quiet proxy's lines still show up when someone tails the log.
 */
export function createAccessLog(target: AccessLogTarget): AccessLog | undefined {
  if (target.kind === 'off') return undefined;
  const dest = pino.destination({ dest: target.kind === 'stdout' ? 1 : target.path, sync: false, mkdir: true, minLength: 4096 });
  const logger = pino({ base: null, timestamp: pino.stdTimeFunctions.isoTime }, dest);
  // A log that cannot be written (disk full, stdout closed) must not take
  // traffic down with it: say so once and keep proxying.
  let reported = false;
  dest.on('error', (err: Error) => {
    if (!reported) process.stderr.write(`faultmesh: access log write failed, lines are being lost: ${err.message}\n`);
    reported = true;
  });
  const timer = setInterval(() => {
    try {
      dest.flush();
    } catch {
      // destroyed after an error already reported above
    }
  }, 1000);
  timer.unref();
  return {
    logger,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        logger.flush(() => resolve());
      }),
  };
}

/** Parses `--access-log stdout|off|PATH`. */
export function accessLogTarget(value: string): AccessLogTarget {
  if (value === 'stdout' || value === '-') return { kind: 'stdout' };
  if (value === 'off' || value === 'none') return { kind: 'off' };
  return { kind: 'file', path: value };
}
