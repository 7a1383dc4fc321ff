import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ConfigError } from './config-error.js';
/**
 * The largest mesh, experiment, game-day or rules file faultmesh reads.
 * Checked before parsing: parsing and validating cost 100 to 200 bytes of
 * memory per byte of a real file (about 1,400 for one of nothing but tiny
 * values; see README). 1 MiB holds a mesh of some 4,500 services.
 */
export const MAX_FILE_BYTES = 1024 * 1024;
/**
 * Why a file could not be opened, in the words every reader of user files
 * uses: `nope.yaml: file not found`, not an errno code.
 * @example unreadableReason(Object.assign(new Error('…'), { code: 'ENOENT' })) // 'file not found'
 */
export function unreadableReason(err) {
    const e = err;
    if (e.code === 'ENOENT')
        return 'file not found';
    if (e.code === 'EACCES' || e.code === 'EPERM')
        return 'permission denied';
    if (e.code === 'EISDIR')
        return 'this is a directory, not a file';
    return `cannot read: ${e.code ?? e.message}`;
}
const refuse = (file, message, line = 1, column = 1) => {
    throw new ConfigError([{ file, line, column, field: '', message }]);
};
/**
 * Reads a configuration file as UTF-8 text, refusing before any parsing what
 * no parser should be given: a file over MAX_FILE_BYTES, UTF-16 or UTF-32
 * text, binary data, bytes that are not UTF-8. Each refusal is a ConfigError
 * with the file (and, where there is one, the line and column).
 */
export function readTextFile(file, maxBytes = MAX_FILE_BYTES) {
    return decodeText(file, readBounded(file, maxBytes));
}
/** How messages name text read from standard input (`faults add -`). */
export const STDIN_NAME = '<stdin>';
/**
 * Reads a whole stream (standard input) as a configuration file's text,
 * under the same checks as readTextFile; refused as soon as it passes
 * `maxBytes`, without holding more. Errors name the text `name`.
 * @example await readTextStream(process.stdin) // the rules piped to `faults add -`
 */
export async function readTextStream(stream, name = STDIN_NAME, maxBytes = MAX_FILE_BYTES) {
    const chunks = [];
    let length = 0;
    for await (const chunk of stream) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        length += buf.length;
        if (length > maxBytes) {
            // Stop reading: the writer gets EPIPE instead of filling memory.
            stream.destroy?.();
            return refuse(name, `the text is larger than ${formatBytes(maxBytes)}, the most faultmesh reads`, 0, 0);
        }
        chunks.push(buf);
    }
    return decodeText(name, Buffer.concat(chunks));
}
function readBounded(file, maxBytes) {
    let fd;
    try {
        fd = openSync(file, 'r');
    }
    catch (err) {
        return refuse(file, unreadableReason(err), 0, 0);
    }
    try {
        const stat = fstatSync(fd);
        if (stat.isDirectory())
            return refuse(file, 'this is a directory, not a file', 0, 0);
        const tooLarge = () => refuse(file, `the file is larger than ${formatBytes(maxBytes)}, the most faultmesh reads; split it, or remove what it does not need`, 0, 0);
        if (stat.size > maxBytes)
            return tooLarge();
        // Read at most one byte past the limit: a pipe or device has no size to check first.
        const buf = Buffer.alloc(maxBytes + 1);
        let length = 0;
        while (length < buf.length) {
            const n = readSync(fd, buf, length, buf.length - length, null);
            if (n === 0)
                break;
            length += n;
        }
        if (length > maxBytes)
            return tooLarge();
        return buf.subarray(0, length);
    }
    catch (err) {
        if (err instanceof ConfigError)
            throw err;
        return refuse(file, err.message, 0, 0);
    }
    finally {
        closeSync(fd);
    }
}
/** Byte-order marks, longest first (UTF-32 LE starts like UTF-16 LE). */
const BOMS = [
    ['UTF-32 (little-endian)', [0xff, 0xfe, 0, 0]],
    ['UTF-32 (big-endian)', [0, 0, 0xfe, 0xff]],
    ['UTF-16 (little-endian)', [0xff, 0xfe]],
    ['UTF-16 (big-endian)', [0xfe, 0xff]],
];
/** The encoding of text that starts with ASCII written in UTF-16 or UTF-32 without a byte-order mark. */
function wideEncoding(b) {
    if (b.length < 4)
        return b.length >= 2 && b[0] === 0 && b[1] !== 0 ? 'UTF-16 (big-endian)' : b.length >= 2 && b[0] !== 0 && b[1] === 0 ? 'UTF-16 (little-endian)' : undefined;
    const z = [b[0] === 0, b[1] === 0, b[2] === 0, b[3] === 0];
    if (!z[0] && z[1] && z[2] && z[3])
        return 'UTF-32 (little-endian)';
    if (z[0] && z[1] && z[2] && !z[3])
        return 'UTF-32 (big-endian)';
    if (!z[0] && z[1] && !z[2] && z[3])
        return 'UTF-16 (little-endian)';
    if (z[0] && !z[1] && z[2] && !z[3])
        return 'UTF-16 (big-endian)';
    return undefined;
}
/** Line and column (1-based) of a character offset in `text`. */
function positionIn(text, offset) {
    const before = text.slice(0, offset);
    const lastNewline = before.lastIndexOf('\n');
    return { line: before.split('\n').length, column: offset - lastNewline };
}
function decodeText(file, bytes) {
    const bom = BOMS.find(([, mark]) => mark.every((byte, i) => bytes[i] === byte));
    const wide = bom?.[0] ?? wideEncoding(bytes);
    if (wide)
        return refuse(file, `the file is ${wide} text; save it as UTF-8`);
    const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
    const text = body.toString('utf8');
    const nul = text.indexOf('\0');
    if (nul !== -1) {
        const at = positionIn(text, nul);
        return refuse(file, 'this is a binary file (it holds a NUL byte), not YAML or JSON text', at.line, at.column);
    }
    // Invalid bytes decode to U+FFFD; one that the file really holds (EF BF BD) is text like any other.
    for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) {
        const offset = Buffer.byteLength(text.slice(0, i));
        if (body[offset] === 0xef && body[offset + 1] === 0xbf && body[offset + 2] === 0xbd)
            continue;
        const at = positionIn(text, i);
        return refuse(file, `byte 0x${body[offset].toString(16).padStart(2, '0')} is not UTF-8; save the file as UTF-8`, at.line, at.column);
    }
    return text;
}
function formatBytes(n) {
    return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
}
//# sourceMappingURL=text-file.js.map