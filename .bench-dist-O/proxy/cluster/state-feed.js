/**
 * The primary's versioned copy of everything that changes traffic: the
 * fault rules with their leases, the halt, the admin's route overrides and
 * the mesh. A change noticed (`changed`) is sent once the current task is
 * done, so the several notices of one change (a control-plane snapshot
 * commits the mesh, then the faults) make one version; `flush` sends it at
 * once, for whoever must wait on it. A state equal to the last one sent is
 * not sent again and keeps its version.
 */
export class StateFeed {
    deps;
    current = 0;
    lastKey = '';
    sentMesh;
    scheduled = false;
    constructor(deps) {
        this.deps = deps;
    }
    get version() {
        return this.current;
    }
    changed() {
        if (this.scheduled)
            return;
        this.scheduled = true;
        queueMicrotask(() => {
            if (this.scheduled)
                this.flush();
        });
    }
    /** Sends what changed since the last state; returns the version every worker must reach to have it. */
    flush() {
        this.scheduled = false;
        const parts = this.parts();
        const snapshot = this.deps.mesh.snapshot;
        // Admin-time only: a few rules and overrides, never on the hot path.
        const key = JSON.stringify(parts);
        if (key === this.lastKey && snapshot === this.sentMesh)
            return this.current;
        this.lastKey = key;
        this.current++;
        const meshChanged = snapshot !== this.sentMesh;
        this.sentMesh = snapshot;
        this.deps.broadcast({ version: this.current, ...parts, ...(meshChanged ? { mesh: snapshot ?? null } : {}) });
        return this.current;
    }
    /** The whole state, mesh included, for a worker that joins now; what it holds after applying is the current version. */
    full() {
        this.flush();
        return { version: this.current, ...this.parts(), mesh: this.deps.mesh.snapshot ?? null };
    }
    parts() {
        const { store, mesh } = this.deps;
        return {
            rules: store.list().map((r) => ({ id: r.id, spec: r.spec, expiresAt: r.expiresAt })),
            halted: store.halted,
            overrides: mesh.liveOverrides(),
            notReady: mesh.notReadyReason(),
        };
    }
}
//# sourceMappingURL=state-feed.js.map