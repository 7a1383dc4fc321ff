import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../../proxy/config/config-error.js';
import { readTextFile } from '../../../proxy/config/text-file.js';
/** The file in `--data DIR` that holds the memory store's keys without a lease. */
export const SNAPSHOT_FILE = 'store.jsonl';
/** Far above what the store keeps unleased (a mesh of at most 1 MiB, the halt flag). */
const MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024;
const FORMAT = 'faultmesh-store';
const VERSION = 1;
const MAX_ISSUES = 20;
const HINT = 'the store snapshot is damaged: restore it from a backup, or move it away to start with an empty store (then apply the mesh again)';
/**
 * One JSON header line, then one line per key. Line-shaped on purpose: a
 * damaged file is reported at the line of the damaged key, and a cut-off
 * file is caught by the header's entry count.
 */
export function formatSnapshot(snapshot) {
    const header = JSON.stringify({ format: FORMAT, version: VERSION, revision: snapshot.revision, entries: snapshot.entries.length });
    const lines = snapshot.entries.map((e) => JSON.stringify({ key: e.key, createRevision: e.createRevision, modRevision: e.modRevision, value: e.value }));
    return [header, ...lines].join('\n') + '\n';
}
/**
 * Writes the snapshot so that the file is always either the old one or the
 * new one, whole: a temporary file renamed over the old. `durable` flushes
 * it to disk first, so it also survives the machine going down.
 * Throws the fs error when it cannot (the old file is then untouched).
 */
export function writeSnapshot(dir, snapshot, durable = true) {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, SNAPSHOT_FILE);
    const temp = `${file}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
        writeSync(fd, formatSnapshot(snapshot));
        if (durable)
            fsyncSync(fd);
    }
    finally {
        closeSync(fd);
    }
    renameSync(temp, file);
}
/** Reads DIR/store.jsonl; undefined when there is none yet. A damaged file is a ConfigError naming file, line and column. */
export function readSnapshot(dir) {
    const file = join(dir, SNAPSHOT_FILE);
    if (!existsSync(file))
        return undefined;
    return parseSnapshot(file, readTextFile(file, MAX_SNAPSHOT_BYTES));
}
export function parseSnapshot(file, text) {
    const issues = [];
    const issue = (line, column, field, message) => {
        if (issues.length < MAX_ISSUES)
            issues.push({ file, line, column, field, message: `${message}; ${HINT}` });
    };
    const lines = text.split('\n');
    if (lines.at(-1) === '')
        lines.pop();
    const rows = lines.map((line, i) => parseLine(line, i + 1, issue));
    const header = rows[0];
    let revision = 0;
    let count = -1;
    if (lines.length === 0)
        issue(1, 1, '', 'the file is empty');
    else if (isRecord(header)) {
        if (header.format !== FORMAT || header.version !== VERSION)
            issue(1, 1, 'format', `not a faultmesh store snapshot (format "${FORMAT}", version ${VERSION} expected)`);
        else {
            if (isRevision(header.revision))
                revision = header.revision;
            else
                issue(1, 1, 'revision', 'must be a whole number of at least 1');
            if (Number.isSafeInteger(header.entries) && header.entries >= 0)
                count = header.entries;
            else
                issue(1, 1, 'entries', 'must be a whole number of at least 0');
        }
    }
    else if (header !== undefined)
        issue(1, 1, '', 'the first line must be the snapshot header, a JSON object');
    const entries = [];
    const seen = new Set();
    rows.slice(1).forEach((row, i) => {
        const line = i + 2;
        if (row === undefined)
            return;
        const entry = checkEntry(row, revision, (field, message) => issue(line, 1, field, message));
        if (!entry)
            return;
        if (seen.has(entry.key))
            issue(line, 1, 'key', `"${entry.key}" appears twice`);
        seen.add(entry.key);
        entries.push(entry);
    });
    if (count >= 0 && issues.length === 0 && count !== lines.length - 1) {
        issue(lines.length, 1, '', `the header says ${count} entries and the file holds ${lines.length - 1}: it was cut off or edited`);
    }
    if (issues.length)
        throw new ConfigError(issues);
    return { revision, entries };
}
/** One line's JSON; undefined (and an issue) when it is not JSON. */
function parseLine(line, n, issue) {
    try {
        return JSON.parse(line);
    }
    catch (err) {
        const message = err.message;
        const at = /at position (\d+)/.exec(message);
        issue(n, at ? Number(at[1]) + 1 : 1, '', `not JSON (${message.replace(/\s+/g, ' ')})`);
        return undefined;
    }
}
function checkEntry(row, revision, issue) {
    if (!isRecord(row)) {
        issue('', 'each line after the header must be a JSON object');
        return undefined;
    }
    const { key, value, createRevision, modRevision } = row;
    let ok = true;
    const fail = (field, message) => {
        issue(field, message);
        ok = false;
    };
    if (typeof key !== 'string' || key === '')
        fail('key', 'must be a non-empty string');
    if (!('value' in row))
        fail('value', 'required field is missing');
    if (!isRevision(createRevision))
        fail('createRevision', 'must be a whole number of at least 1');
    if (!isRevision(modRevision))
        fail('modRevision', 'must be a whole number of at least 1');
    else if (isRevision(createRevision) && modRevision < createRevision)
        fail('modRevision', `${modRevision} is before createRevision ${createRevision}`);
    else if (revision > 0 && modRevision > revision)
        fail('modRevision', `${modRevision} is after the snapshot's revision ${revision}`);
    return ok ? { key: key, value, createRevision: createRevision, modRevision: modRevision } : undefined;
}
const isRecord = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isRevision = (v) => Number.isSafeInteger(v) && v >= 1;
//# sourceMappingURL=snapshot-file.js.map