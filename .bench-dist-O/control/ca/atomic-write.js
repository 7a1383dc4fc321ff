import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, linkSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
/**
 * Writes `text` to `file` so that a reader sees the old file or the new one,
 * whole, never a half-written key or certificate: a temporary file in the
 * same directory, flushed, then renamed over. The temporary file is created
 * with `mode` already set, so a key is never readable by others even briefly.
 * With `noClobber`, an existing file is kept and the write fails (EEXIST):
 * the file is linked into place, which unlike rename never replaces one.
 * Throws the fs error (the old file is then untouched).
 */
export function writeFileAtomic(file, text, mode, noClobber = false) {
    const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
    const fd = openSync(temp, 'wx', mode);
    try {
        try {
            writeSync(fd, text);
            fsyncSync(fd);
        }
        finally {
            closeSync(fd);
        }
        // The umask may have narrowed `mode` (never widened it); set it exactly.
        chmodSync(temp, mode);
        if (noClobber)
            linkSync(temp, file);
        else
            renameSync(temp, file);
    }
    catch (err) {
        rmSync(temp, { force: true });
        throw err;
    }
    if (noClobber)
        rmSync(temp, { force: true });
}
//# sourceMappingURL=atomic-write.js.map