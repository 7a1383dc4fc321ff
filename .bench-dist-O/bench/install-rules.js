import { request } from 'undici';
/**
 * Installs `count` fault rules on a proxy, none aimed at the benchmark's
 * service, as a busy mesh would have for its other services. Their lookup
 * must cost the benchmark's traffic nothing.
 */
export async function installUnrelatedRules(adminUrl, count) {
    for (let i = 0; i < count; i++) {
        const rule = { id: `unrelated-${i}`, target: `service-${i % 250}`, match: { regions: [`region-${i % 7}`] }, percentage: 50, abort: { status: 503 }, ttl: '1h' };
        const res = await request(new URL('/v1/faults', adminUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule) });
        const text = await res.body.text();
        if (res.statusCode !== 201)
            throw new Error(`installing rule ${i}: ${res.statusCode} ${text}`);
    }
}
//# sourceMappingURL=install-rules.js.map