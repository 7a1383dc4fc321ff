// One trial's lease holder, the part of a runner that matters here: it
// grants a lease through a control replica, hangs a fault on it, and renews
// it every third of its ttl until it is SIGKILLed. Each answer is one JSON
// line on stdout, with Date.now() when it came, so the bench knows when the
// lease ends once the renewals stop.
//
//   node holder.js CONTROL_URL FAULT_ID TTL_MS
const [control, faultId, ttlArg] = process.argv.slice(2);
const say = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
async function post(path, body) {
    const res = await fetch(`${control}${path}`, { method: 'POST', headers: body === undefined ? {} : { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }), signal: AbortSignal.timeout(5_000) });
    const text = await res.text();
    if (!res.ok)
        throw new Error(`POST ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text);
}
async function main() {
    if (!control || !faultId || !ttlArg)
        throw new Error('usage: holder CONTROL_URL FAULT_ID TTL_MS');
    const lease = await post('/v1/leases', { ttl: `${ttlArg}ms` });
    const id = String(lease.id);
    const ttlMs = Number(lease.ttlMs);
    const grantedAt = Date.now();
    await post('/v1/faults', { id: faultId, target: 'bench', abort: { status: 503 }, lease: id });
    say({ lease: id, ttlMs, grantedAt, addedAt: Date.now() });
    setInterval(() => {
        post(`/v1/leases/${id}/renew`).then((r) => say({ renewedAt: Date.now(), ttlMs: Number(r.ttlMs) }), (err) => say({ error: err.message }));
    }, Math.max(100, ttlMs / 3));
}
main().catch((err) => {
    say({ error: err.message });
    process.exit(1);
});
export {};
//# sourceMappingURL=holder.js.map