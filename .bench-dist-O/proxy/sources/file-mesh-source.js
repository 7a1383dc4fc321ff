import { ConfigError } from '../config/config-error.js';
import { loadMeshFile } from '../config/load-mesh.js';
import { Listeners } from './listeners.js';
/**
 * Today's mesh file: read once at start (an invalid file throws ConfigError
 * before the proxy listens), then again on SIGHUP or POST /v1/reload. A
 * reload that fails leaves the running snapshot as it was.
 */
export class FileMeshSource {
    file;
    snapshot;
    listeners = new Listeners();
    constructor(file) {
        this.file = file;
        this.snapshot = { version: 1, config: loadMeshFile(file), origin: file };
    }
    current() {
        return this.snapshot;
    }
    onSnapshot(listener) {
        return this.listeners.add(listener);
    }
    /** Never throws: a reload must not take a running proxy and its faults down, whatever the file holds. */
    reload = () => {
        let next;
        try {
            next = { version: this.snapshot.version + 1, config: loadMeshFile(this.file), origin: this.file };
        }
        catch (err) {
            if (err instanceof ConfigError)
                return { ok: false, issues: err.issues };
            return { ok: false, issues: [this.issue(`cannot load: ${err instanceof Error ? err.message : String(err)}`)] };
        }
        // A listener that cannot build its table from it keeps the old one, and so does this source.
        const failed = this.listeners.emit(next);
        if (failed.length)
            return { ok: false, issues: failed.map((err) => this.issue(`cannot apply: ${err instanceof Error ? err.message : String(err)}`)) };
        this.snapshot = next;
        return { ok: true, services: Object.keys(next.config.services).length };
    };
    close() { }
    issue(message) {
        return { file: this.file, line: 0, column: 0, field: '', message };
    }
}
//# sourceMappingURL=file-mesh-source.js.map