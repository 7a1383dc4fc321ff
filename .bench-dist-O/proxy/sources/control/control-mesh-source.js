import { meshSchema } from '../../config/mesh-schema.js';
import { YamlSource } from '../../config/yaml-source.js';
import { Listeners } from '../listeners.js';
import { mergeMesh } from './merge-mesh.js';
/**
 * The mesh as the control plane pushes it. Each snapshot's mesh text is
 * merged with the registrations and live overrides and validated whole
 * before anything changes (prepare), then swapped in (commit), so a version
 * is applied entirely or refused. Rules it keeps:
 * - a snapshot without a mesh never replaces one the proxy has (a control
 *   plane that has none yet says so, and the proxy keeps its own);
 * - the --mesh file, when given, is the configuration until the control
 *   plane has one;
 * - an override ends at its lease's end here, even with the control plane
 *   gone (fail safe): the route goes back to the text's weights.
 */
export class ControlMeshSource {
    url;
    timers;
    base;
    snapshot;
    registrations = [];
    overrides = [];
    version = 0;
    timer;
    listeners = new Listeners();
    constructor(url, timers, fallbackFile) {
        this.url = url;
        this.timers = timers;
        if (fallbackFile === undefined)
            return;
        // Read like any mesh file: an invalid fallback throws ConfigError before the proxy listens.
        const source = YamlSource.read(fallbackFile);
        this.base = { source };
        this.snapshot = { version: 0, config: source.validate(meshSchema), origin: fallbackFile };
    }
    current() {
        return this.snapshot;
    }
    onSnapshot(listener) {
        return this.listeners.add(listener);
    }
    /** Validates what `snapshot` makes the mesh; throws ConfigError and changes nothing when it is refused. */
    prepare(snapshot) {
        const base = snapshot.mesh ? this.baseFor(snapshot.mesh.text, snapshot.mesh.file) : this.base;
        const now = this.timers.now();
        const overrides = snapshot.overrides.filter((o) => o.remainingMs > 0).map((override) => ({ override, endsAt: now + override.remainingMs }));
        const config = base ? mergeMesh(base.source, snapshot.registrations, overrides.map((o) => o.override)) : undefined;
        return { version: snapshot.version, base, registrations: snapshot.registrations, overrides, config };
    }
    /** Swaps a prepared mesh in; throws (and keeps the running one) when the table cannot be built from it. */
    commit(prepared) {
        if (prepared.config && prepared.base)
            this.publish({ version: prepared.version, config: prepared.config, origin: this.originOf(prepared.base) });
        this.base = prepared.base;
        this.registrations = prepared.registrations;
        this.overrides = prepared.overrides;
        this.version = prepared.version;
        this.schedule();
    }
    /** A renewal pushed by the control plane (`leases` event): overrides keyed `service/route` end later. */
    extendOverrides(remaining) {
        const now = this.timers.now();
        for (const o of this.overrides) {
            const ms = remaining[`${o.override.service}/${o.override.route}`];
            if (ms !== undefined)
                o.endsAt = now + ms;
        }
        this.schedule();
    }
    close() {
        this.timers.clearTimeout(this.timer);
    }
    /** The parsed text, reused while the control plane sends the same one: most snapshots change faults, not the mesh. */
    baseFor(text, file) {
        if (this.base?.text === text && this.base.source.file === file)
            return this.base;
        return { source: new YamlSource(file, text), text };
    }
    originOf(base) {
        return base.text === undefined ? base.source.file : `control ${this.url()} (${base.source.file})`;
    }
    publish(snapshot) {
        const failed = this.listeners.emit(snapshot);
        if (failed.length)
            throw failed[0];
        this.snapshot = snapshot;
    }
    /** One timer, for the first override to end; when it fires, the mesh is rebuilt without it. */
    schedule() {
        this.timers.clearTimeout(this.timer);
        if (this.overrides.length === 0)
            return;
        const first = Math.min(...this.overrides.map((o) => o.endsAt));
        this.timer = this.timers.setTimeout(() => this.expireOverrides(), Math.max(0, first - this.timers.now()));
    }
    expireOverrides() {
        const now = this.timers.now();
        const live = this.overrides.filter((o) => o.endsAt > now);
        if (live.length === this.overrides.length)
            return this.schedule();
        this.overrides = live;
        if (this.base) {
            try {
                const config = mergeMesh(this.base.source, this.registrations, live.map((o) => o.override));
                this.publish({ version: this.version, config, origin: this.originOf(this.base) });
            }
            catch {
                // The text's own weights were valid when it was applied; a failure here keeps the running table.
            }
        }
        this.schedule();
    }
}
//# sourceMappingURL=control-mesh-source.js.map