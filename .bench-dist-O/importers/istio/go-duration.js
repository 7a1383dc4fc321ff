import { formatDuration, MAX_WAIT_MS } from '../../proxy/config/duration.js';
const UNIT_MS = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
/**
 * An Istio duration as milliseconds. Istio reads them as Go does (`1h`,
 * `1m30s`, `500ms`, `0.5s`), which is wider than faultmesh's one number and
 * one unit, so they are read here and written back in faultmesh's form
 * (`faultmeshDuration`). At most 24h, as every faultmesh wait.
 *
 * @example parseIstioDuration('1m30s') // { ok: true, ms: 90000 }
 */
export function parseIstioDuration(value) {
    if (typeof value !== 'string')
        return { ok: false, message: `a duration is a string such as "2s" or "1m30s", not ${String(value)}` };
    const text = value.trim();
    if (text === '0')
        return { ok: true, ms: 0 };
    let ms = 0;
    PART.lastIndex = 0;
    while (PART.lastIndex < text.length) {
        const at = PART.lastIndex;
        const m = PART.exec(text);
        if (!m || m.index !== at)
            return { ok: false, message: `"${value}" is not a duration; Istio writes them as 2s, 500ms, 1m30s, 1h` };
        ms += Number(m[1]) * UNIT_MS[m[2]];
    }
    if (text.length === 0)
        return { ok: false, message: 'a duration cannot be empty; write 2s, 500ms, 1m30s' };
    if (ms > MAX_WAIT_MS)
        return { ok: false, message: `"${value}" is longer than the 24h faultmesh allows for any wait` };
    return { ok: true, ms };
}
/** Milliseconds in faultmesh's own form, for the files import writes: `90s`, `1.5s` as `1500ms`. */
export function faultmeshDuration(ms) {
    // Sub-millisecond parts (Go's ns and us) have no place in a proxy timer.
    const whole = Math.round(ms * 1000) / 1000;
    return formatDuration(whole);
}
//# sourceMappingURL=go-duration.js.map