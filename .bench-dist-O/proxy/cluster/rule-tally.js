/**
 * Each rule's counts over the workers, as GET /v1/faults and the control
 * plane's reports show them: the live workers' latest counts plus what
 * workers that died had counted, so a crash does not take hits back.
 * `active` comes from live workers only: a dead worker's requests ended.
 */
export class RuleTally {
    retired = new Map();
    /** A worker died with these counts. */
    retire(counts) {
        for (const [id, c] of Object.entries(counts)) {
            const r = this.retired.get(id) ?? { matched: 0, hit: 0 };
            this.retired.set(id, { matched: r.matched + c.matched, hit: r.hit + c.hit });
        }
    }
    sum(live) {
        const sums = new Map();
        for (const [id, c] of this.retired)
            sums.set(id, { matched: c.matched, hit: c.hit, active: 0 });
        for (const counts of live) {
            for (const [id, c] of Object.entries(counts)) {
                const sum = sums.get(id) ?? { matched: 0, hit: 0, active: 0 };
                sums.set(id, { matched: sum.matched + c.matched, hit: sum.hit + c.hit, active: sum.active + c.active });
            }
        }
        return sums;
    }
    /** Forgets dead workers' counts of rules no longer in force. */
    retain(live) {
        for (const id of this.retired.keys())
            if (!live.has(id))
                this.retired.delete(id);
    }
}
//# sourceMappingURL=rule-tally.js.map