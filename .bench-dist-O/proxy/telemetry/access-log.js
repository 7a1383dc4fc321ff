import pino from 'pino';
import { LogWriter } from './log-writer.js';
/**
 * One JSON line per request, through pino (and telemetry/call-line.ts for
 * calls) into a LogWriter: buffered, written asynchronously, in order, so
 * the hot path never waits on the disk, and nothing is lost at exit. A timer
 * flushes at least every second so a quiet proxy's lines still show up when
 * someone tails the log.
 */
export function createAccessLog(target) {
    if (target.kind === 'off')
        return undefined;
    const dest = LogWriter.open(target);
    const logger = pino({ base: null, timestamp: pino.stdTimeFunctions.isoTime }, dest);
    const timer = setInterval(() => dest.flush(), 1000);
    timer.unref();
    return {
        logger,
        close: () => {
            clearInterval(timer);
            return dest.close();
        },
    };
}
/** Parses `--access-log stdout|off|PATH`. */
export function accessLogTarget(value) {
    if (value === 'stdout' || value === '-')
        return { kind: 'stdout' };
    if (value === 'off' || value === 'none')
        return { kind: 'off' };
    return { kind: 'file', path: value };
}
//# sourceMappingURL=access-log.js.map