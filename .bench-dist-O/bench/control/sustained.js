import { benchMeshText } from './control-api.js';
import { distribution } from './figures.js';
import { nowUs } from './watcher.js';
/**
 * Updates per second sustained: `concurrency` writers add and remove
 * faults, each as fast as the control plane answers, for `seconds`. Then
 * one mesh apply, whose reply names its store revision, marks the end: the
 * proxies have caught up when every one has acked that revision or a later
 * one. Each fault has an id of its own, so no write waits on another's.
 */
export async function sustainedWrites(timer, pool, options) {
    const replies = [];
    let refused = 0;
    let firstRefusal;
    const endAt = performance.now() + options.seconds * 1000;
    const accept = async (call) => {
        const t = performance.now();
        try {
            await call();
            replies.push(performance.now() - t);
            return true;
        }
        catch (err) {
            refused++;
            firstRefusal ??= err.message;
            return false;
        }
    };
    const writer = async (w) => {
        const api = options.apis[w % options.apis.length];
        for (let i = 0; performance.now() < endAt; i++) {
            const id = `sustain-${w}-${i}`;
            const added = await accept(() => api.call('POST', '/v1/faults', { id, target: 'bench', percentage: 1, abort: { status: 503 }, ttl: '10m' }, 201));
            // An add refused is not retried: a control plane that refuses writes is what this phase would show.
            if (added)
                await accept(() => api.call('DELETE', `/v1/faults/${id}`));
        }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: options.concurrency }, (_, w) => writer(w)));
    const writingS = (performance.now() - started) / 1000;
    const endUs = nowUs();
    const marker = await options.apis[0].call('PUT', '/v1/mesh', { text: benchMeshText(options.meshRound), file: 'bench-mesh.yaml' });
    let caughtUpMs;
    let behind;
    try {
        const acked = await timer.allAcked(marker.version, pool, options.catchUpMs);
        caughtUpMs = (acked.ackedUs - endUs) / 1000;
    }
    catch (err) {
        behind = err.message;
    }
    return {
        seconds: writingS,
        concurrency: options.concurrency,
        writesPerS: replies.length / writingS,
        accepted: replies.length,
        refused,
        firstRefusal,
        reply: distribution(replies),
        caughtUpMs,
        behind,
    };
}
//# sourceMappingURL=sustained.js.map